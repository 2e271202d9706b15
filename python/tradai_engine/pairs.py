"""Pairs, timeframes and candle file names: the one place that parses them.

Kept free of Freqtrade imports so the strategy API (``tradai``) and the lightweight bridge
operations can use it without paying for importing Freqtrade.
"""

from __future__ import annotations

import re
from pathlib import Path

from .contract import vocabulary

# The timeframes the exchanges Freqtrade supports offer (ccxt's unified names). Freqtrade itself
# accepts anything ccxt parses; this list is what tradai lets a strategy declare.
TIMEFRAMES = ("1m", "3m", "5m", "15m", "30m", "1h", "2h", "4h", "6h", "8h", "12h", "1d", "3d", "1w", "1M")

_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800, "M": 2592000, "y": 31536000}
# The syntax TS validates flags with (the bridge contract's vocabulary): one definition for both sides.
_TIMEFRAME_RE = re.compile(vocabulary()["patterns"]["timeframe"])
_PAIR_RE = re.compile(vocabulary()["patterns"]["pair"])

# Freqtrade's candle file name: <PAIR with _>-<timeframe, M written as Mo>[-<candle type>].<ext>,
# e.g. ETH_BTC-5m.feather, BTC_USDT_USDT-1h-futures.feather (same pattern as IDataHandler).
CANDLE_FILE_RE = re.compile(r"^([\w-]+)\-(\d+[a-zA-Z]{1,2})\-?([a-zA-Z_]*)?\.(feather|json|json\.gz|parquet)$")
CANDLE_FORMATS = {"feather": "feather", "json": "json", "json.gz": "jsongz", "parquet": "parquet"}


def timeframe_seconds(timeframe: str) -> int:
    """Length of one candle; ValueError for something that is not a timeframe (``5m``, ``1h``)."""
    match = _TIMEFRAME_RE.match(timeframe or "")
    if not match or int(match[1]) == 0:
        raise ValueError(f"{timeframe!r} is not a timeframe (expected e.g. {', '.join(TIMEFRAMES[:7])})")
    return int(match[1]) * _UNIT_SECONDS[match[2]]


def parse_pair(pair: str) -> tuple[str, str, str | None]:
    """``ETH/BTC`` -> (ETH, BTC, None); ``BTC/USDT:USDT`` -> (BTC, USDT, USDT). ValueError otherwise."""
    match = _PAIR_RE.match(pair or "")
    if not match:
        raise ValueError(f"{pair!r} is not a pair (expected BASE/QUOTE in upper case such as ETH/BTC, or BTC/USDT:USDT for futures)")
    return match[1], match[2], match[3] or None


def pair_to_filename(pair: str) -> str:
    """``ETH/BTC`` -> ``ETH_BTC`` the way Freqtrade names candle files (misc.pair_to_filename)."""
    for ch in ["/", " ", ".", "@", "$", "+", ":"]:
        pair = pair.replace(ch, "_")
    return pair


def pair_from_filename(stem: str) -> str:
    """``ETH_BTC`` -> ``ETH/BTC``, ``BTC_USDT_USDT`` -> ``BTC/USDT:USDT`` (IDataHandler.rebuild_pair_from_filename)."""
    return stem.replace("_", "/", 1).replace("_", ":", 1)


def parse_candle_filename(name: str) -> dict | None:
    """Split a Freqtrade candle file name into pair, timeframe, candle type and data format."""
    match = CANDLE_FILE_RE.match(name)
    if not match:
        return None
    return {
        "pair": pair_from_filename(match[1]),
        "timeframe": re.sub("1mo", "1M", match[2], flags=re.IGNORECASE),
        "candleType": match[3] or "spot",
        "format": CANDLE_FORMATS[match[4]],
    }


def pair_timeframe_from_path(path: Path) -> tuple[str | None, str | None]:
    """Guess pair and timeframe from a file name such as ``ETH_BTC-5m.csv`` or ``ETH-BTC_1h.json``.

    Returns None for a part that cannot be read from the name; the caller asks the user for it.
    """
    stem = path.name.split(".")[0]
    match = re.match(r"^([A-Za-z0-9]+)[_\-/]([A-Za-z0-9]+)(?:[_\-]([A-Za-z0-9]+))?[_\-](\d+(?:mo|Mo|[smhdwMy]))$", stem)
    if not match:
        return None, None
    pair = f"{match[1].upper()}/{match[2].upper()}" + (f":{match[3].upper()}" if match[3] else "")
    return pair, re.sub("1mo", "1M", match[4], flags=re.IGNORECASE)
