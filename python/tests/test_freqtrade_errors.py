"""Freqtrade has no exception type per failure, so tradai_engine/freqtrade_errors.py maps the
messages of its OperationalExceptions. Each mapped message must still be raised, word for word,
by the Freqtrade function the table names: an upgrade that rewords one fails here."""

from __future__ import annotations

import importlib
import inspect

import pytest

from tradai_engine import freqtrade_errors
from tradai_engine.protocol import BridgeError


def _function(module: str, qualname: str):
    obj = importlib.import_module(module)
    for part in qualname.split("."):
        obj = getattr(obj, part)
    return obj


@pytest.mark.parametrize("needle,code,hint,module,qualname", freqtrade_errors.MESSAGES, ids=lambda v: str(v)[:40])
def test_each_mapped_message_is_still_raised_where_the_table_says(needle, code, hint, module, qualname):
    source = " ".join(inspect.getsource(_function(module, qualname)).split())
    # Freqtrade splits long messages over implicitly joined string literals: join them back.
    joined = source.replace('" f"', "").replace('" "', "")
    assert needle in joined, f"{module}.{qualname} no longer says {needle!r}: update freqtrade_errors.MESSAGES"


def test_the_real_exception_maps_to_its_code():
    from freqtrade.exceptions import OperationalException

    from tradai_engine.ops.backtest import run_backtesting  # noqa: F401  (the user of the mapping)

    error = freqtrade_errors.mapped(OperationalException("No data left after adjusting for startup candles."))
    assert isinstance(error, BridgeError) and error.code == "DATA_NOT_FOUND" and error.hint == freqtrade_errors.DATA_HINT
    spaces = freqtrade_errors.mapped(OperationalException(
        "The 'protection' space is included into the hyperoptimization but no parameter for this space was found in your Strategy.  "
        "Please make sure to have parameters for this space enabled for optimization or remove the space from hyperoptimization."))
    assert spaces is not None and spaces.code == "USAGE" and "  " not in spaces.message
    assert freqtrade_errors.mapped(OperationalException("Exchange binance is not available")) is None
