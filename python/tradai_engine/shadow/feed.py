"""The replayed market: what the dry-run bot asks the exchange for, answered from candle files.

Fill model (docs/ARCHITECTURE.md, "Shadow trading"):
- Inside a candle the price walks open→low→high→close when the candle closes at or above its
  open, open→high→low→close when it falls, linearly, each leg a third of the candle.
- The ticker's last price is that price as of the virtual time; bid/ask sit half the spread
  below/above it (``spread_bps``, default 5 bps). The order book is one level at bid and at ask,
  deep enough for any order (``BOOK_DEPTH`` quote units), so Freqtrade's own dry-run logic
  decides every fill: a limit buy fills once the ask reaches it, a market order at the book.
- fetch_ohlcv answers the closed candles plus the forming one as of the virtual time (high, low
  and close so far, volume pro rata); Freqtrade drops the forming one itself.

The patches sit on ccxt's exchange classes (sync, async, pro) below Freqtrade, like markets.py,
and ``install`` returns an undo that restores every attribute it replaced.
"""

from __future__ import annotations

import bisect
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from ..pairs import timeframe_seconds

DEFAULT_SPREAD_BPS = 5.0
BOOK_DEPTH = 1e12  # one level deep enough for any order: liquidity is not modelled


@dataclass
class Series:
    """One pair's candles as plain lists (ms open times ascending), for bisect lookups."""

    times: list[int]
    opens: list[float]
    highs: list[float]
    lows: list[float]
    closes: list[float]
    volumes: list[float]


class ReplayFeed:
    def __init__(self, series: dict[str, Series], timeframe: str, spread_bps: float = DEFAULT_SPREAD_BPS):
        self.series = series
        self.timeframe = timeframe
        self.step_ms = timeframe_seconds(timeframe) * 1000
        self.half_spread = spread_bps / 2 / 10_000

    @classmethod
    def from_files(cls, files: dict[str, Path], timeframe: str, candle_type: str, data_format: str, spread_bps: float) -> "ReplayFeed":
        from ..candles import load

        series = {}
        for pair, file in files.items():
            frame = load(file, pair, timeframe, candle_type, data_format)
            series[pair] = Series(
                times=[int(ts.value // 1_000_000) for ts in frame["date"]],
                opens=frame["open"].astype(float).tolist(),
                highs=frame["high"].astype(float).tolist(),
                lows=frame["low"].astype(float).tolist(),
                closes=frame["close"].astype(float).tolist(),
                volumes=frame["volume"].astype(float).tolist(),
            )
        return cls(series, timeframe, spread_bps)

    # --- prices ---------------------------------------------------------------------------------

    def _index(self, pair: str, now_ms: int) -> int:
        """Index of the candle open at now_ms (the last one starting at or before it), -1 before the data."""
        return bisect.bisect_right(self.series[pair].times, now_ms) - 1

    def _path(self, s: Series, i: int) -> list[float]:
        o, h, l, c = s.opens[i], s.highs[i], s.lows[i], s.closes[i]
        return [o, l, h, c] if c >= o else [o, h, l, c]

    def price(self, pair: str, now_ms: int) -> float | None:
        """The replay price of ``pair`` at now_ms: along the candle's path, or the last close in a gap."""
        s = self.series.get(pair)
        if s is None:
            return None
        i = self._index(pair, now_ms)
        if i < 0:
            return None
        elapsed = now_ms - s.times[i]
        if elapsed >= self.step_ms:  # a gap in the data: the market stands at the last close
            return s.closes[i]
        points = self._path(s, i)
        position = elapsed / self.step_ms * 3  # three legs
        leg = min(int(position), 2)
        frac = position - leg
        return points[leg] + (points[leg + 1] - points[leg]) * frac

    def forming(self, pair: str, now_ms: int) -> list[float] | None:
        """The candle open at now_ms as seen so far: [time, open, high, low, close, volume]."""
        s = self.series[pair]
        i = self._index(pair, now_ms)
        if i < 0 or now_ms - s.times[i] >= self.step_ms:
            return None
        frac = (now_ms - s.times[i]) / self.step_ms
        points = self._path(s, i)
        seen = [points[0]] + [points[k] for k in (1, 2) if frac * 3 >= k] + [self.price(pair, now_ms)]
        return [s.times[i], s.opens[i], max(seen), min(seen), seen[-1], s.volumes[i] * frac]

    # --- ccxt answers ---------------------------------------------------------------------------

    def ohlcv(self, pair: str, since: int | None, limit: int | None, now_ms: int) -> list[list[float]]:
        s = self.series.get(pair)
        if s is None:
            return []
        end = bisect.bisect_right(s.times, now_ms - self.step_ms)  # candles closed by now
        start = bisect.bisect_left(s.times, since) if since is not None else 0
        if limit and since is None:
            start = max(end - limit, 0)
        rows = [[s.times[i], s.opens[i], s.highs[i], s.lows[i], s.closes[i], s.volumes[i]] for i in range(start, end)]
        current = self.forming(pair, now_ms)
        if current is not None and (since is None or current[0] >= since):
            rows.append(current)
        return rows[:limit] if limit and since is not None else rows

    def ticker(self, pair: str, now_ms: int) -> dict[str, Any]:
        last = self.price(pair, now_ms)
        bid = ask = None
        if last is not None:
            bid, ask = last * (1 - self.half_spread), last * (1 + self.half_spread)
        return {
            "symbol": pair, "timestamp": now_ms, "datetime": None, "last": last, "close": last,
            "bid": bid, "ask": ask, "bidVolume": BOOK_DEPTH, "askVolume": BOOK_DEPTH,
            "high": None, "low": None, "open": None, "baseVolume": None, "quoteVolume": None, "info": {},
        }

    def order_book(self, pair: str, now_ms: int) -> dict[str, Any]:
        t = self.ticker(pair, now_ms)
        if t["last"] is None:
            return {"symbol": pair, "bids": [], "asks": [], "timestamp": now_ms, "datetime": None, "nonce": None}
        return {"symbol": pair, "bids": [[t["bid"], BOOK_DEPTH]], "asks": [[t["ask"], BOOK_DEPTH]],
                "timestamp": now_ms, "datetime": None, "nonce": None}


def now_ms() -> int:
    """The (virtual) clock in milliseconds: time.time is what time-machine moves."""
    return int(time.time() * 1000)


def install(feed: ReplayFeed, exchange: str) -> Callable[[], None]:
    """Make ccxt's ``exchange`` classes answer market data from ``feed``; returns the undo."""
    import ccxt
    import ccxt.async_support as ccxt_async

    try:
        import ccxt.pro as ccxt_pro
    except ImportError:
        ccxt_pro = None

    def fetch_ohlcv(self, symbol, timeframe="1m", since=None, limit=None, params={}):  # noqa: B006 - ccxt's signature
        return feed.ohlcv(symbol, since, limit, now_ms()) if timeframe == feed.timeframe else []

    async def fetch_ohlcv_async(self, symbol, timeframe="1m", since=None, limit=None, params={}):  # noqa: B006
        return fetch_ohlcv(self, symbol, timeframe, since, limit, params)

    def fetch_ticker(self, symbol, params={}):  # noqa: B006
        return feed.ticker(symbol, now_ms())

    def fetch_tickers(self, symbols=None, params={}):  # noqa: B006
        return {pair: feed.ticker(pair, now_ms()) for pair in (symbols or feed.series)}

    def fetch_order_book(self, symbol, limit=None, params={}):  # noqa: B006
        return feed.order_book(symbol, now_ms())

    sync = {"fetch_ohlcv": fetch_ohlcv, "fetch_ticker": fetch_ticker, "fetch_tickers": fetch_tickers,
            "fetch_bids_asks": fetch_tickers, "fetch_order_book": fetch_order_book, "fetch_l2_order_book": fetch_order_book}
    undo: list[tuple[type, str, Any]] = []
    for module in (ccxt, ccxt_async, ccxt_pro):
        cls = getattr(module, exchange, None) if module else None
        if not isinstance(cls, type):
            continue
        is_async = cls.__module__.startswith(("ccxt.async_support", "ccxt.pro"))
        for name, fn in sync.items():
            undo.append((cls, name, cls.__dict__.get(name, _ABSENT)))
            if is_async:
                setattr(cls, name, fetch_ohlcv_async if name == "fetch_ohlcv" else _as_async(fn))
            else:
                setattr(cls, name, fn)
    return lambda: restore(undo)


_ABSENT = object()


def restore(undo: list[tuple[type, str, Any]]) -> None:
    for cls, name, original in reversed(undo):
        if original is _ABSENT:
            delattr(cls, name)
        else:
            setattr(cls, name, original)


def snapshot(classes_of: str, names: tuple[str, ...]) -> list[tuple[type, str, Any]]:
    """The current values of ``names`` on ccxt's ``classes_of`` classes, for restore()."""
    import ccxt
    import ccxt.async_support as ccxt_async

    try:
        import ccxt.pro as ccxt_pro
    except ImportError:
        ccxt_pro = None
    saved = []
    for module in (ccxt, ccxt_async, ccxt_pro):
        cls = getattr(module, classes_of, None) if module else None
        if isinstance(cls, type):
            saved += [(cls, name, cls.__dict__.get(name, _ABSENT)) for name in names]
    return saved


def _as_async(fn):
    async def wrapper(self, *args, **kwargs):
        return fn(self, *args, **kwargs)

    return wrapper
