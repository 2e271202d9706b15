"""shadow-drift: a shadow session's trade database read back AND the backtest it is judged
against, in one engine process (`tradai shadow report`).

Request: ``{"read": <shadow-read request>, "backtest": <backtest request>}``. The two halves are
exactly the ``shadow-read`` and ``backtest`` operations (their ``run`` is called as is): what the
combined op saves is one engine start and Freqtrade import, so a report costs about one backtest
of the window (docs/benchmarks.md, "Shadow trading"). The database is read first: Freqtrade's
Backtesting switches its persistence to in-memory trades for the rest of the process.
Result: ``{"read": <shadow-read result>, "backtest": <backtest result>}``.
"""

from __future__ import annotations

from .. import protocol
from ..protocol import BridgeError
from . import backtest, shadow_read


def run(request: dict) -> dict:
    read, test = request.get("read"), request.get("backtest")
    if not isinstance(read, dict) or not isinstance(test, dict):
        raise BridgeError("USAGE", "shadow-drift needs a read request and a backtest request")
    protocol.stage("read", "start")
    trades = shadow_read.run(read)
    protocol.stage("read", "done", f"{trades['counts']['trades']} trade(s)")
    return {"read": trades, "backtest": backtest.run(test)}
