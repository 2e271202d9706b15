"""The engine dies with tradai.

tradai spawns the engine as the leader of its own process group and names its own pid in
``TRADAI_ENGINE_PARENT_PID``. When that process disappears, even by SIGKILL (no exit hook runs,
nobody stops us), the engine is reparented; this watcher notices within a second and kills the
whole group: the engine, Freqtrade's and Optuna's workers, a strategy stuck in an endless loop.
"""

from __future__ import annotations

import os
import signal
import threading
import time

POLL_SECONDS = 0.5


def watch_parent(env: os._Environ[str] | dict[str, str] = os.environ) -> None:
    raw = env.get("TRADAI_ENGINE_PARENT_PID", "")
    if not raw.isdigit():
        return
    parent = int(raw)
    if os.getppid() != parent:
        _kill_group()
    threading.Thread(target=_watch, args=(parent,), name="tradai-lifeline", daemon=True).start()


def _watch(parent: int) -> None:
    while True:
        time.sleep(POLL_SECONDS)
        if os.getppid() != parent:
            _kill_group()


def _kill_group() -> None:
    try:
        group = os.getpgid(0)
        # Only our own group: never signal the group of a shell that ran us without a new group.
        if group == os.getpid():
            os.killpg(group, signal.SIGKILL)
    finally:
        os._exit(137)
