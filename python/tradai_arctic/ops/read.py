"""read: symbols (optionally a date range) from ArcticDB into Freqtrade feather files: what a
backtest reads through a per-run cache folder, and what `data export` writes under user_data."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from tradai_engine import protocol
from tradai_engine.protocol import BridgeError
from tradai_engine.requests import optional, require

from ..store import checked, columns_for, iso, library, open_store, shown_uri, utc_index


def run(request: dict) -> dict:
    uri = require(request, "uri", str)
    lib_name = require(request, "library", str)
    items = require(request, "items", list)
    store = open_store(uri, create=False)
    lib = library(store, lib_name, uri, create=False)
    symbols = set(lib.list_symbols())
    missing = [item for item in items if item["symbol"] not in symbols]
    extras = [item for item in missing if item.get("candleType") in ("mark", "funding_rate")]
    if extras and len(extras) == len(missing):
        raise _missing_futures_extras(extras, lib_name, uri, sorted(symbols))
    if missing:
        names = [item["symbol"] for item in missing]
        raise BridgeError("NOT_FOUND", f"no symbol {', '.join(repr(s) for s in names)} in library {lib_name!r} of {shown_uri(uri)}",
                          hint="import the candles first (tradai data import PATH --to arcticdb), or map your naming with data.arcticSymbolTemplate",
                          details={"available": sorted(symbols), "library": lib_name, "missing": names})
    read = []
    for index, item in enumerate(items):
        start, end = optional(item, "start", str), optional(item, "end", str)
        date_range = (pd.Timestamp(start) if start else None, pd.Timestamp(end) if end else None) if (start or end) else None
        versioned = lib.read(item["symbol"], date_range=date_range)
        frame = versioned.data
        frame.index = utc_index(frame)
        columns = columns_for(item.get("candleType"))
        checked(frame, item["symbol"], item.get("candleType"))
        out = frame[columns].reset_index(names="date")
        Path(item["file"]).parent.mkdir(parents=True, exist_ok=True)
        # Freqtrade's feather layout: date (UTC) + OHLCV (funding rates: + funding_rate), as its FeatherDataHandler writes it.
        out.loc[:, ["date", *columns]].to_feather(item["file"], compression_level=9, compression="lz4")
        protocol.progress("arctic", index + 1, len(items), item["symbol"])
        read.append({"symbol": item["symbol"], "version": int(versioned.version), "rows": int(len(out)),
                     "first": iso(frame.index[0]) if len(frame) else None, "last": iso(frame.index[-1]) if len(frame) else None,
                     "file": item["file"], "pair": item.get("pair"), "timeframe": item.get("timeframe"),
                     "candleType": item.get("candleType")})
    return {"uri": shown_uri(uri), "library": lib_name, "read": read}


def _missing_futures_extras(extras: list[dict], lib_name: str, uri: str, available: list[str]) -> BridgeError:
    """NOT_FOUND naming each futures pair whose mark or funding-rate candles are not in the store:
    Freqtrade's futures backtest refuses to start without them."""
    named = "; ".join(f"{item.get('pair')} has no {item['candleType']} candles ({item.get('timeframe')}, symbol {item['symbol']!r})" for item in extras)
    pairs = " ".join(dict.fromkeys(str(item.get("pair")) for item in extras))
    timeframes = " ".join(dict.fromkeys(str(item.get("timeframe")) for item in extras))
    exchange = lib_name.split(".")[0]
    return BridgeError(
        "NOT_FOUND", f"{named} in library {lib_name!r} of {shown_uri(uri)}: a futures backtest needs each pair's mark and funding-rate candles",
        hint=f"download them (Freqtrade fetches mark and funding rate with a futures pair's candles): tradai data download --exchange {exchange} "
             f"--pairs {pairs} --timeframes {timeframes}, then import them: tradai data import user_data/data/{exchange}/futures --to arcticdb",
        details={"available": available, "library": lib_name,
                 "missing": [{"pair": item.get("pair"), "candleType": item["candleType"], "timeframe": item.get("timeframe"), "symbol": item["symbol"]} for item in extras]})
