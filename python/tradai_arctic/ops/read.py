"""read: symbols (optionally a date range) from ArcticDB into Freqtrade feather files: what a
backtest reads through a per-run cache folder, and what `data export` writes under user_data."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from tradai_engine import protocol
from tradai_engine.protocol import BridgeError
from tradai_engine.requests import optional, require

from ..store import COLUMNS, checked, iso, library, open_store, shown_uri, utc_index


def run(request: dict) -> dict:
    uri = require(request, "uri", str)
    lib_name = require(request, "library", str)
    items = require(request, "items", list)
    store = open_store(uri, create=False)
    lib = library(store, lib_name, uri, create=False)
    symbols = set(lib.list_symbols())
    missing = [item["symbol"] for item in items if item["symbol"] not in symbols]
    if missing:
        raise BridgeError("NOT_FOUND", f"no symbol {', '.join(repr(s) for s in missing)} in library {lib_name!r} of {shown_uri(uri)}",
                          hint="import the candles first (tradai data import PATH --to arcticdb), or map your naming with data.arcticSymbolTemplate",
                          details={"available": sorted(symbols), "library": lib_name})
    read = []
    for index, item in enumerate(items):
        start, end = optional(item, "start", str), optional(item, "end", str)
        date_range = (pd.Timestamp(start) if start else None, pd.Timestamp(end) if end else None) if (start or end) else None
        versioned = lib.read(item["symbol"], date_range=date_range)
        frame = versioned.data
        frame.index = utc_index(frame)
        checked(frame, item["symbol"])
        out = frame[COLUMNS].reset_index(names="date")
        Path(item["file"]).parent.mkdir(parents=True, exist_ok=True)
        # Freqtrade's feather layout: date (UTC) + OHLCV, as its FeatherDataHandler writes it.
        out.loc[:, ["date", *COLUMNS]].to_feather(item["file"], compression_level=9, compression="lz4")
        protocol.progress("arctic", index + 1, len(items), item["symbol"])
        read.append({"symbol": item["symbol"], "version": int(versioned.version), "rows": int(len(out)),
                     "first": iso(frame.index[0]) if len(frame) else None, "last": iso(frame.index[-1]) if len(frame) else None,
                     "file": item["file"], "pair": item.get("pair"), "timeframe": item.get("timeframe")})
    return {"uri": shown_uri(uri), "library": lib_name, "read": read}
