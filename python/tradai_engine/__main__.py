"""Entry point: ``python -m tradai_engine <operation>``; the request is JSON on stdin."""

from __future__ import annotations

import importlib
import json
import logging
import math
import os
import sys
import traceback

from . import contract, engine_warnings, lifeline, protocol

# operation name -> module in tradai_engine.ops exposing run(request: dict) -> dict
OPERATIONS = {
    "versions": "versions",
    "backtest": "backtest",
    "backtest-batch": "backtest_batch",
    "sweep-study": "sweep_study",
    "strategy-list": "strategy_list",
    "strategy-show": "strategy_show",
    "strategy-config": "strategy_config",
    "data-list": "data_list",
    "data-import": "data_import",
    "data-download": "data_download",
    "data-markets": "data_markets",
    "data-sample": "data_sample",
    "lint": "lint",
    "lint-explain": "lint_explain",
    "hyperopt-optuna": "hyperopt_optuna",
    "hyperopt-freqtrade": "hyperopt_freqtrade",
    "hyperopt-studies": "hyperopt_studies",
    "shadow": "shadow",
    "shadow-read": "shadow_read",
    "shadow-drift": "shadow_drift",
    "credentials-spec": "credentials_spec",
    "credentials-test": "credentials_test",
}


def main(argv: list[str], operations: dict[str, str] = OPERATIONS, package: str = "tradai_engine.ops") -> int:
    """Runs one operation of ``package`` (the engine's, or the ArcticDB adapter's) per the protocol."""
    lifeline.watch_parent()
    protocol.claim_stdout()
    logging.basicConfig(stream=sys.stderr, level=logging.INFO, format="%(name)s - %(levelname)s - %(message)s")
    engine_warnings.install()  # Freqtrade's WARNING+ records reach the user as warnings
    if len(argv) < 1 or argv[0] not in operations:
        protocol.emit("error", code="USAGE", message=f"unknown bridge operation {argv[:1]!r}; known: {sorted(operations)}")
        return 2
    raw = sys.stdin.read()
    try:
        request = json.loads(raw) if raw.strip() else {}
    except json.JSONDecodeError as exc:
        protocol.emit("error", code="USAGE", message=f"bridge request is not JSON: {exc}")
        return 2
    try:
        # Both ends of every engine call are checked against the generated contract (contract/schema.json);
        # the ArcticDB adapter (its own package and environment) has its own small protocol.
        checked = package == "tradai_engine.ops"
        if checked:
            contract.check_request(argv[0], request)
        module = importlib.import_module(f"{package}.{operations[argv[0]]}")
        data = protocol.jsonable(_finite(module.run(request)))
        if checked:
            contract.check_result(argv[0], data)
        protocol.result(data)
        return 0
    except protocol.BridgeError as exc:
        protocol.emit("error", code=exc.code, message=exc.message, hint=exc.hint, details=exc.details)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - the bridge reports every failure as an event
        tb = traceback.format_exc()
        sys.stderr.write(tb)
        protocol.emit("error", code="ENGINE", message=f"{type(exc).__name__}: {exc}", details={"traceback": tb[-4000:]})
        return 1


def _finite(value):
    """JSON has no NaN/inf; Freqtrade's stats contain them for empty results."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


def _has_child_processes() -> bool:
    """Whether this process has a live child (Linux: /proc/self/task/*/children); where that
    cannot be read, assume it has one, so the usual shutdown runs."""
    try:
        tasks = os.listdir("/proc/self/task")
        for task in tasks:
            with open(f"/proc/self/task/{task}/children") as children:
                if children.read().strip():
                    return True
    except OSError:
        return True
    return False


def exit_now(code: int) -> None:
    """Ends the engine once its answer is out, without the interpreter's teardown: with Freqtrade,
    pandas, scipy and SQLAlchemy imported (~340k objects) finalizing the modules takes 0.7-2 s of
    CPU after the result event, and the bridge waits for the exit, so every engine call paid it
    serially (a sweep's ``--jobs 2`` as much as ``--jobs 1``). Nothing is lost: every event is
    flushed as it is written, files are written in ``with`` blocks, study storages commit each
    write, forked workers have been joined; the streams and logging handlers are flushed here.
    A thread still working (not a daemon) or a child process still alive gets the usual shutdown:
    Freqtrade's hyperopt starts a ``multiprocessing.Manager`` server process (its logging
    workaround) that only the interpreter's exit handlers stop, and an orphaned one would keep the
    engine's stdout open, so the bridge would wait for it forever."""
    import threading

    working = any(t.is_alive() and not t.daemon for t in threading.enumerate() if t is not threading.main_thread())
    if working or _has_child_processes():
        sys.exit(code)
    logging.shutdown()
    for stream in (protocol._events, sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):
            pass  # a closed pipe (tradai gone): nothing left to tell
    os._exit(code)


if __name__ == "__main__":
    exit_now(main(sys.argv[1:]))
