"""list: libraries and symbols with first/last candle, rows, gaps and latest version."""

from __future__ import annotations

import re

import pandas as pd

from tradai_engine.requests import optional, require

from ..store import iso, library, open_store, parse_symbol, shown_uri, utc_index

TIMEFRAME = re.compile(r"(\d+)([smhdwM])$")
UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800, "M": 2592000}


def run(request: dict) -> dict:
    uri = require(request, "uri", str)
    only = optional(request, "library", str)
    template = optional(request, "symbolTemplate", str) or "{pair}-{timeframe}"
    store = open_store(uri, create=False)
    names = [only] if only else sorted(store.list_libraries())
    libraries = []
    for name in names:
        lib = library(store, name, uri, create=False)
        symbols = []
        for symbol in sorted(lib.list_symbols()):
            versioned = lib.read(symbol, columns=[])
            index = utc_index(versioned.data)
            # What the name says, read with the team's template (nulls when it does not follow it).
            named = parse_symbol(template, symbol) or {"pair": None, "timeframe": None, "candleType": None}
            symbols.append({"symbol": symbol, "version": int(versioned.version), "rows": int(len(index)),
                            "first": iso(index[0]) if len(index) else None, "last": iso(index[-1]) if len(index) else None,
                            "gaps": _gaps(index, named["timeframe"] or symbol), **named})
        libraries.append({"library": name, "symbols": symbols})
    return {"uri": shown_uri(uri), "libraries": libraries}


def _gaps(index: pd.DatetimeIndex, symbol: str) -> int | None:
    """Missing candles between first and last, when the timeframe is known (``symbol``: the parsed timeframe, or a name ending in one)."""
    match = TIMEFRAME.search(symbol)
    if not match or len(index) < 2:
        return None if not match else 0
    step = pd.Timedelta(seconds=int(match.group(1)) * UNIT_SECONDS[match.group(2)])
    return max(int((index[-1] - index[0]) / step) + 1 - len(index), 0)
