"""The bridge protocol.

tradai runs ``python -m tradai_engine <operation>`` and writes one JSON request to stdin.
The bridge answers with NDJSON events on stdout, one JSON object per line:

    {"event": "progress", "stage": "backtest", "current": 3, "total": 10, "message": "..."}
    {"event": "stage", "stage": "data", "status": "start" | "done", "message": "..."}
    {"event": "log", "level": "info" | "warning" | "error", "message": "..."}
    {"event": "result", "data": {...}}            exactly one on success, always last
    {"event": "error", "code": "...", "message": "...", "hint": "...", "details": {...}}

Human-readable logs (Freqtrade's own logging) go to stderr. Large results go to files whose
paths the result names. Exit code 0 with a result event, or non-zero after an error event.

Stdout is reserved for events: everything else that writes to sys.stdout (print in a user's
strategy, a library) is redirected to stderr before any operation runs.
"""

from __future__ import annotations

import json
import sys
import threading
from contextlib import contextmanager
from typing import Any, TextIO

_lock = threading.Lock()
_events: TextIO = sys.stdout
_muted = False


def claim_stdout() -> None:
    """Keep the real stdout for events and send every other write to stderr."""
    global _events
    _events = sys.stdout
    sys.stdout = sys.stderr


@contextmanager
def muted():
    """Drop stage/progress/log events inside: a batch of backtests reports per point instead."""
    global _muted
    before, _muted = _muted, True
    try:
        yield
    finally:
        _muted = before


def emit(event: str, **fields: Any) -> None:
    if _muted and event in ("stage", "progress", "log"):
        return
    line = json.dumps({"event": event, **fields}, default=_json_default, allow_nan=False)
    with _lock:
        _events.write(line + "\n")
        _events.flush()


def stage(name: str, status: str, message: str | None = None) -> None:
    emit("stage", stage=name, status=status, **({"message": message} if message else {}))


def progress(stage_name: str, current: int, total: int | None = None, message: str | None = None) -> None:
    fields: dict[str, Any] = {"stage": stage_name, "current": current}
    if total is not None:
        fields["total"] = total
    if message:
        fields["message"] = message
    emit("progress", **fields)


def log(level: str, message: str) -> None:
    emit("log", level=level, message=message)


def result(data: dict[str, Any]) -> None:
    emit("result", data=data)


class BridgeError(Exception):
    """An error the user can act on. ``code`` is one of tradai's error codes (see errors.ts):
    USAGE, CONFIG, NOT_FOUND, DATA_NOT_FOUND, STRATEGY_NOT_FOUND, STRATEGY_LOAD, ENGINE,
    NETWORK, CHECK_FAILED."""

    def __init__(self, code: str, message: str, hint: str | None = None, details: dict[str, Any] | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.hint = hint
        self.details = details or {}

    @staticmethod
    def payload_of(exc: BaseException) -> dict[str, Any]:
        """What a forked worker sends its parent for an error (a plain, picklable dict): a
        BridgeError's fields, anything else an ENGINE error (its traceback printed to stderr)."""
        if isinstance(exc, BridgeError):
            return {"code": exc.code, "message": exc.message, "hint": exc.hint, "details": exc.details}
        import traceback

        traceback.print_exception(exc)
        return {"code": "ENGINE", "message": f"{type(exc).__name__}: {exc}"}

    @classmethod
    def from_payload(cls, payload: dict[str, Any], **details: Any) -> BridgeError:
        """The parent's side of ``payload_of``, with ``details`` added (e.g. the point)."""
        return cls(payload["code"], payload["message"], hint=payload.get("hint"), details={**(payload.get("details") or {}), **details})


def jsonable(value: Any) -> Any:
    """``value`` as the other side will read it (what ``emit`` would write, parsed back)."""
    return json.loads(json.dumps(value, default=_json_default, allow_nan=False))


def _json_default(value: Any) -> Any:
    # numpy scalars, datetimes, paths: anything Freqtrade hands back that json cannot.
    if hasattr(value, "item"):
        return value.item()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)
