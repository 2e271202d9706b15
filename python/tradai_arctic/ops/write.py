"""write: feather candle files (already checked by the engine's data-import) into ArcticDB,
each as a new version of its symbol."""

from __future__ import annotations

import pandas as pd

from tradai_engine import protocol
from tradai_engine.requests import require

from ..store import checked, columns_for, iso, library, open_store, shown_uri


def run(request: dict) -> dict:
    uri = require(request, "uri", str)
    lib_name = require(request, "library", str)
    items = require(request, "items", list)
    store = open_store(uri, create=True)
    lib = library(store, lib_name, uri, create=True)
    written = []
    for index, item in enumerate(items):
        frame = pd.read_feather(item["file"])
        columns = columns_for(item.get("candleType"))
        frame = frame.set_index(pd.DatetimeIndex(pd.to_datetime(frame["date"], utc=True), name="date"))[columns].astype("float64")
        checked(frame, item["symbol"], item.get("candleType"))
        info = lib.write(item["symbol"], frame)
        protocol.progress("arctic", index + 1, len(items), item["symbol"])
        written.append({"symbol": item["symbol"], "version": int(info.version), "rows": int(len(frame)),
                        "first": iso(frame.index[0]) if len(frame) else None, "last": iso(frame.index[-1]) if len(frame) else None,
                        "pair": item.get("pair"), "timeframe": item.get("timeframe"),
                        "candleType": item.get("candleType")})
    return {"uri": shown_uri(uri), "library": lib_name, "written": written}
