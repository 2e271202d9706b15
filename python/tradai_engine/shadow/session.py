"""The session folder's runtime state, written by the bot's process and read by `tradai shadow`.

``state.json`` (atomic rewrite): status (starting, running, completed, stopped, failed), pid,
the virtual clock and progress, open/closed trade counts, wall time. The TypeScript side owns
session.json; this file is what only the running bot knows.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

WRITE_INTERVAL = 0.5  # seconds of wall time between progress writes


class StateFile:
    def __init__(self, session_dir: Path):
        self.path = session_dir / "state.json"
        self.state: dict[str, Any] = {"status": "starting", "pid": os.getpid()}
        self._last = 0.0

    def update(self, force: bool = False, **fields: Any) -> bool:
        """Merge ``fields``; write when forced or WRITE_INTERVAL has passed. True when written."""
        self.state.update(fields)
        now = time.monotonic()
        if not force and now - self._last < WRITE_INTERVAL:
            return False
        self._last = now
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.state, default=str, indent=2) + "\n", encoding="utf-8")
        os.replace(tmp, self.path)
        return True
