"""tradai's Python engine: the bridge between the tradai CLI and Freqtrade / Optuna / MLflow.

Run as ``python -m tradai_engine <operation>`` with a JSON request on stdin; see protocol.py.
"""

__version__ = "0.1.0"
