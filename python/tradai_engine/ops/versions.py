"""Versions of the engine's packages, for `tradai doctor` and `tradai engine info`."""

from __future__ import annotations

import sys
from importlib import metadata

PACKAGES = ("freqtrade", "optuna", "mlflow", "ccxt", "pandas", "numpy", "ta-lib")


def run(request: dict) -> dict:
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {"python": sys.executable, "pythonVersion": sys.version.split()[0], "packages": versions}
