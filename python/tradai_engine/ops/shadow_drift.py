"""shadow-drift: a shadow session's trade database read back AND the backtest it is judged
against, in one engine start (`tradai shadow report`).

Request: ``{"read": <shadow-read request>, "backtest": <backtest request>}``. The two halves are
exactly the ``shadow-read`` and ``backtest`` operations (their ``run`` is called as is). What the
combined op saves is one engine start and Freqtrade import; and after that import it forks, so
the read (Freqtrade's persistence and report generator, ~1 s) runs in a child while this process
runs the backtest: a report costs about one backtest of the window (docs/benchmarks.md,
"Shadow trading"). Separate processes also keep Freqtrade's persistence apart: Backtesting
switches it to in-memory trades, the read needs the session's sqlite.
Result: ``{"read": <shadow-read result>, "backtest": <backtest result>}``.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
from typing import Any

from .. import protocol
from ..protocol import BridgeError
from . import backtest, shadow_read


def run(request: dict) -> dict:
    read, test = request.get("read"), request.get("backtest")
    if not isinstance(read, dict) or not isinstance(test, dict):
        raise BridgeError("USAGE", "shadow-drift needs a read request and a backtest request")
    # The warm import both halves share, paid once, before the fork.
    import freqtrade.optimize.backtesting  # noqa: F401
    import freqtrade.optimize.optimize_reports  # noqa: F401
    import freqtrade.persistence  # noqa: F401

    protocol.stage("read", "start")
    ctx = multiprocessing.get_context("fork")
    answers = ctx.Queue()
    child = ctx.Process(target=_read, args=(read, answers))
    child.start()
    try:
        tested = backtest.run(test)
        trades = _answer(answers, child)
    finally:
        if child.is_alive():
            child.terminate()
        child.join()
    protocol.stage("read", "done", f"{trades['counts']['trades']} trade(s)")
    return {"read": trades, "backtest": tested}


def _read(request: dict, answers) -> None:
    code = 0
    try:
        with protocol.muted():
            answers.put((True, shadow_read.run(request)))
    except Exception as exc:  # noqa: BLE001 - reported by the parent (an engine error unless a BridgeError)
        answers.put((False, BridgeError.payload_of(exc)))
        code = 1
    finally:
        answers.close()
        answers.join_thread()
        os._exit(code)


def _answer(answers, child) -> dict[str, Any]:
    while True:
        try:
            ok, payload = answers.get(timeout=1.0)
        except queue.Empty:
            if not child.is_alive():
                raise BridgeError("ENGINE", f"the trade database reader exited (code {child.exitcode}) without an answer") from None
            continue
        if not ok:
            raise BridgeError.from_payload(payload)
        return payload
