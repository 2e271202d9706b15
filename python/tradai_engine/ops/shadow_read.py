"""shadow-read: a shadow session's trades, orders and Freqtrade statistics, from its trade database.

Request: {sessionDir, windowStart?, windowEnd?} (ISO). Works for a running, finished, stopped
or killed session alike: the database is the record. Writes shadow-trades.json in the session.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from ..protocol import BridgeError
from ..requests import optional, require
from ..shadow.trades import read_session


def run(request: dict) -> dict:
    session_dir = Path(require(request, "sessionDir", str))
    config_file = session_dir / "config.json"
    if not (session_dir / "trades.sqlite").is_file() or not config_file.is_file():
        raise BridgeError("NOT_FOUND", f"{session_dir} holds no trade database yet (the bot never started)",
                          details={"sessionDir": str(session_dir)})
    config = json.loads(config_file.read_text(encoding="utf-8"))
    start, end = (optional(request, key, str) for key in ("windowStart", "windowEnd"))
    data = read_session(session_dir, config, _parse(start), _parse(end))
    out = session_dir / "shadow-trades.json"
    out.write_text(json.dumps(data, default=str, indent=2) + "\n", encoding="utf-8")
    return {"file": str(out), "counts": data["counts"]}


def _parse(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None
