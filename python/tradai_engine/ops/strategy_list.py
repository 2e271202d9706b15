"""strategy-list: every strategy class in a strategy folder, with files that fail to import."""

from __future__ import annotations

from .. import protocol
from ..requests import require
from ..strategies import discover


def run(request: dict) -> dict:
    strategy_path = require(request, "strategyPath", str)
    entries = discover(strategy_path)
    for entry in entries:
        if entry.error:
            protocol.log("warning", f"{entry.file}:{entry.error['line']}: {entry.error['message']}")
    return {"strategies": [entry.to_dict() for entry in entries]}
