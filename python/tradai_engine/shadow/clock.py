"""The virtual clock of a replay: time-machine frozen at the window start, moved only by the bot.

Freqtrade's Worker ends every loop with ``self._sleep(seconds)`` (its throttle: at most
``process_throttle_secs``, capped at the next candle + 1 s). The replay replaces that sleep with
a move of the frozen clock, so the bot's own timing sets the steps; when nothing is pending (no
open trade, no open order) it jumps straight to the next candle + 1 s, the next moment anything
can happen. time-machine leaves time.monotonic alone, so asyncio and the REST API keep working.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any, Callable

CANDLE_OFFSET_SECONDS = 1  # what Worker._throttle adds after a candle boundary


class VirtualClock:
    def __init__(self, start: datetime, end: datetime, timeframe_secs: int, speed: float | None = None):
        self.start, self.end = start, end
        self.timeframe_secs = timeframe_secs
        self.speed = speed  # None: as fast as possible; else virtual seconds per wall second
        self.steps = 0
        self._travel: Any = None  # time_machine.travel, imported lazily
        self._traveller: Any = None

    def __enter__(self) -> "VirtualClock":
        import time_machine

        self._travel = time_machine.travel(self.start, tick=False)
        self._traveller = self._travel.start()
        return self

    def __exit__(self, *exc) -> None:
        if self._travel is not None:
            self._travel.stop()
            self._travel = None

    def now(self) -> float:
        return time.time()

    def finished(self) -> bool:
        return self.now() >= self.end.timestamp()

    def sleeper(self, pending: Callable[[], bool]) -> Callable[[float], None]:
        """A drop-in for Worker._sleep that moves the clock instead of waiting."""

        def sleep(duration: float) -> None:
            now = self.now()
            target = now + max(duration, 0.0)
            if not pending():
                boundary = (int(now) // self.timeframe_secs + 1) * self.timeframe_secs
                target = max(target, boundary + CANDLE_OFFSET_SECONDS)
            target = min(target, self.end.timestamp())
            if target <= now:  # never stand still: the loop must reach the window's end
                target = now + 1
            if self.speed:
                _wall_sleep((target - now) / self.speed)
            self._traveller.move_to(datetime.fromtimestamp(target, UTC))
            self.steps += 1

        return sleep


def _wall_sleep(seconds: float) -> None:
    # time.sleep is real time even under time-machine; the monotonic clock bounds it.
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        time.sleep(min(left, 0.5))
