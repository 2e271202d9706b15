"""Freqtrade's OperationalExceptions, mapped to tradai's error codes in one place.

Freqtrade raises one exception type (OperationalException) for a run without candles, a bad
parameter file and a hyperopt space without parameters, and has no subclass or code to tell them
apart, so the only thing left to map on is the message it raises. Each message tradai maps is
listed here once, with the Freqtrade function that raises it; python/tests/test_freqtrade_errors.py
asserts every one is still raised there, so an upgrade that rewords one fails loudly in that test
instead of turning a "no candles" exit 5 into an engine error.
"""

from __future__ import annotations

from .protocol import BridgeError

DATA_HINT = "import candles with `tradai data import <file>` or fetch them with `tradai data download`"
SPACES_HINT = "pick spaces the strategy declares parameters for (roi, stoploss and trailing always work)"

# (text in the message, tradai code, hint, where Freqtrade raises it: module, function)
MESSAGES: tuple[tuple[str, str, str | None, str, str], ...] = (
    ("No data found. Terminating.", "DATA_NOT_FOUND", DATA_HINT, "freqtrade.data.history.history_utils", "load_data"),
    ("No data left after adjusting for startup candles.", "DATA_NOT_FOUND", DATA_HINT,
     "freqtrade.optimize.backtesting", "Backtesting.backtest_one_strategy"),
    ("Invalid parameter file provided.", "STRATEGY_LOAD", None, "freqtrade.strategy.hyper", "HyperStrategyMixin.load_params_from_file"),
    ("space is included into the hyperoptimization", "USAGE", SPACES_HINT,
     "freqtrade.optimize.hyperopt.hyperopt_auto", "_format_exception_message"),
    ("No hyperopt parameters found to optimize.", "USAGE", SPACES_HINT,
     "freqtrade.optimize.hyperopt.hyperopt_optimizer", "HyperOptimizer.init_spaces"),
)


def mapped(exc: Exception) -> BridgeError | None:
    """The BridgeError for a Freqtrade OperationalException tradai knows, else None (re-raise it)."""
    text = str(exc)
    for needle, code, hint, _module, _function in MESSAGES:
        if needle in text:
            return BridgeError(code, " ".join(text.split()), hint=hint)
    return None
