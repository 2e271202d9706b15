"""The documented layout, and opening a store with errors a user can act on.

Layout: one library per exchange and trading mode (``binance.spot``), one symbol per pair and
timeframe (``ETH_BTC-5m``, or the team's ``symbolTemplate``), a DataFrame indexed by UTC candle
time with float64 columns open, high, low, close, volume. ArcticDB versions every write.
"""

from __future__ import annotations

import re
import string

import pandas as pd

from tradai_engine.protocol import BridgeError

COLUMNS = ["open", "high", "low", "close", "volume"]
# Funding rates are one value per time, as Freqtrade 2026.9 stores them (freqtrade/candle_columns.py).
FUNDING_COLUMNS = ["funding_rate"]
SCHEMES = ("lmdb", "s3", "s3s", "azure", "mem")


def columns_for(candle_type: str | None) -> list[str]:
    """The float64 columns of a symbol holding this candle type."""
    return FUNDING_COLUMNS if candle_type == "funding_rate" else COLUMNS


def shown_uri(uri: str) -> str:
    """The URI without credentials: ArcticDB's s3 URIs carry access/secret as options."""
    shown = re.sub(r"(?i)((?:access|secret|token|password|CA_cert_path)=)[^&;]*", r"\1***", uri)
    return re.sub(r"//[^/@]*@", "//***@", shown)


def open_store(uri: str, create: bool):
    scheme = uri.split("://", 1)[0].lower() if "://" in uri else ""
    if scheme not in SCHEMES:
        raise BridgeError("USAGE", f"ArcticDB URI {shown_uri(uri)!r} is not one ArcticDB accepts",
                          hint="use lmdb:///abs/path, or s3://endpoint:bucket?aws_auth=true (credentials from the AWS variables)",
                          details={"uri": shown_uri(uri)})
    if scheme in ("s3", "s3s"):
        _probe_s3(uri, scheme)
    import arcticdb

    try:
        store = arcticdb.Arctic(uri)
        store.list_libraries()  # the first round trip: a store that cannot answer fails here, named, not later
        return store
    except Exception as exc:  # noqa: BLE001 - ArcticDB raises many kinds for a bad or unreachable URI
        raise BridgeError("STORE_UNREACHABLE", f"cannot open ArcticDB at {shown_uri(uri)}: {type(exc).__name__}: {_clean(str(exc), uri)}",
                          hint="check the URI, the network and the AWS credentials in the environment",
                          details={"uri": shown_uri(uri)}) from exc


# ArcticDB retries a retryable S3 error (no DNS, connection refused) in a fixed backoff loop of
# ~25 s that no setting shortens; tradai checks the endpoint answers first, within this bound,
# and bounds each S3 request once it does.
CONNECT_TIMEOUT_SECONDS = 5
REQUEST_TIMEOUT_MS = 30_000


def _probe_s3(uri: str, scheme: str) -> None:
    """One TCP connect to the S3 endpoint (DNS included) within CONNECT_TIMEOUT_SECONDS, or STORE_UNREACHABLE."""
    import socket
    from urllib.parse import parse_qs

    match = re.match(r"s3s?://(?P<endpoint>[^:?]*):(?P<bucket>[^?]+)(?:\?(?P<query>.*))?$", uri)
    if not match or not match["endpoint"]:
        raise BridgeError("USAGE", f"ArcticDB URI {shown_uri(uri)!r} is not s3://ENDPOINT:BUCKET[?options]",
                          hint="e.g. s3://s3.eu-west-1.amazonaws.com:my-bucket?aws_auth=true", details={"uri": shown_uri(uri)})
    query = {key.lower(): values[-1] for key, values in parse_qs(match["query"] or "").items()}
    https = scheme == "s3s" or query.get("https", "").lower() == "true"
    port = int(query["port"]) if query.get("port", "").isdigit() else 443 if https else 80
    host = match["endpoint"]
    try:
        socket.create_connection((host, port), timeout=CONNECT_TIMEOUT_SECONDS).close()
    except OSError as exc:
        raise BridgeError("STORE_UNREACHABLE", f"cannot reach the ArcticDB store {shown_uri(uri)}: {host}:{port} did not answer ({type(exc).__name__}: {exc})",
                          hint="check the endpoint, the network (and proxy), then try again",
                          details={"uri": shown_uri(uri), "endpoint": f"{host}:{port}", "probe": "connect",
                                   "timeoutSeconds": CONNECT_TIMEOUT_SECONDS}) from exc
    from arcticdb_ext import set_config_int

    set_config_int("S3Storage.ConnectTimeoutMs", CONNECT_TIMEOUT_SECONDS * 1000)
    set_config_int("S3Storage.RequestTimeoutMs", REQUEST_TIMEOUT_MS)


def library(store, name: str, uri: str, create: bool):
    if name not in store.list_libraries():
        if create:
            return store.get_library(name, create_if_missing=True)
        raise BridgeError("NOT_FOUND", f"no library {name!r} in {shown_uri(uri)}",
                          hint="import candles first: tradai data import PATH --to arcticdb",
                          details={"available": sorted(store.list_libraries()), "library": name})
    return store[name]


CANDLE_TYPES = ("spot", "futures", "mark", "funding_rate")
_PART = r"[A-Za-z0-9]+"
_PLACEHOLDERS = {"pair": rf"{_PART}(?:_{_PART}){{1,2}}", "base": _PART, "quote": _PART, "settle": _PART,
                 "timeframe": r"\d+(?:Mo|[smhdwMy])", "candle_type": "|".join(CANDLE_TYPES)}


def symbol_for(template: str, pair: str, timeframe: str, candle_type: str = "spot") -> str:
    """The symbol of a pair, timeframe and candle type (the same rule as symbolName in src/core/data/arctic-store.ts):
    ``{pair}`` in Freqtrade's file-name form, ``-<candle type>`` appended for non-spot types unless the
    template places ``{candle_type}`` itself. Default: ETH_BTC-5m, ETH_USDT_USDT-1h-futures, ...-1h-mark, ...-1h-funding_rate."""
    spot, _, settle = pair.partition(":")
    base, _, quote = spot.partition("/")
    named = template.format(pair=re.sub(r"[/ .@$+:]", "_", pair), base=base, quote=quote, settle=settle, timeframe=timeframe,
                            candle_type=candle_type)
    return named if "{candle_type}" in template or candle_type == "spot" else f"{named}-{candle_type}"


def parse_symbol(template: str, symbol: str) -> dict | None:
    """pair, timeframe and candle type of a symbol named by ``template`` (symbol_for read backwards), or None."""
    pattern, seen, after_field = "", set(), False
    for literal, field, _spec, _conv in string.Formatter().parse(template):
        pattern += re.escape(literal)
        if field is None:
            continue
        if field not in _PLACEHOLDERS or (after_field and not literal):
            return None  # an unknown placeholder, or two side by side ({base}{quote}): the name cannot be read back
        after_field = True
        pattern += f"(?P={field})" if field in seen else f"(?P<{field}>{_PLACEHOLDERS[field]})"
        seen.add(field)
    if "candle_type" not in seen:
        pattern += "(?:-(?P<candle_type>futures|mark|funding_rate))?"
    match = re.fullmatch(pattern, symbol)
    if not match:
        return None
    parts = match.groupdict()
    if parts.get("pair"):
        pieces = parts["pair"].split("_")
        pair = f"{pieces[0]}/{pieces[1]}" + (f":{pieces[2]}" if len(pieces) == 3 else "")
    elif parts.get("base") and parts.get("quote"):
        pair = f"{parts['base']}/{parts['quote']}" + (f":{parts['settle']}" if parts.get("settle") else "")
    else:
        return None
    timeframe = parts.get("timeframe")
    return {"pair": pair, "timeframe": timeframe.replace("Mo", "M") if timeframe else None, "candleType": parts.get("candle_type") or "spot"}


def checked(frame: pd.DataFrame, symbol: str, candle_type: str | None = None) -> pd.DataFrame:
    """A frame in the documented layout, or CONFIG naming the symbol and what is wrong."""
    columns = columns_for(candle_type)
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        what = "funding rates need column" if candle_type == "funding_rate" else "candles need columns"
        raise BridgeError("CONFIG", f"symbol {symbol!r} has no column {', '.join(missing)}",
                          hint=f"{what} {', '.join(columns)} (float64) indexed by UTC time",
                          details={"symbol": symbol, "column": missing[0], "columns": list(map(str, frame.columns))})
    for column in columns:
        if frame[column].dtype != "float64":
            raise BridgeError("CONFIG", f"symbol {symbol!r} column {column!r} is {frame[column].dtype}, not float64",
                              details={"symbol": symbol, "column": column, "dtype": str(frame[column].dtype)})
    if not isinstance(frame.index, pd.DatetimeIndex):
        raise BridgeError("CONFIG", f"symbol {symbol!r} is not indexed by time (index is {type(frame.index).__name__})",
                          details={"symbol": symbol})
    if frame.index.has_duplicates:
        first = frame.index[frame.index.duplicated()][0]
        raise BridgeError("CONFIG", f"symbol {symbol!r} has duplicate candle times (first: {first})", details={"symbol": symbol})
    if not frame.index.is_monotonic_increasing:
        raise BridgeError("CONFIG", f"symbol {symbol!r} is not sorted by candle time", details={"symbol": symbol})
    return frame


def utc_index(frame: pd.DataFrame) -> pd.DatetimeIndex:
    index = pd.DatetimeIndex(frame.index)
    return index.tz_localize("UTC") if index.tz is None else index.tz_convert("UTC")


def iso(ts) -> str | None:
    return None if ts is None else pd.Timestamp(ts).tz_convert("UTC").strftime("%Y-%m-%dT%H:%M:%SZ")


def _clean(message: str, uri: str) -> str:
    return message.replace(uri, shown_uri(uri))
