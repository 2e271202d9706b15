"""Candle files read the way Freqtrade's data handlers read them (``IDataHandler.ohlcv_load`` with
``fill_missing=False``: the stored columns of the candle type, floats, dates in ms UTC, duplicate
dates merged by ``clean_ohlcv_dataframe``'s aggregation) with pandas and pyarrow only, so
`tradai data list` answers without importing Freqtrade (seconds of imports on every call).
python/tests/test_candle_read.py checks the frames equal Freqtrade's on real and edge-case files.

Unlike Freqtrade's handlers, which log and return no candles, a file that cannot be parsed or
has an unknown layout raises: data list reports it as unreadable.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

# freqtrade/candle_columns.py: the columns each candle type stores, and how duplicates merge.
OHLCV_COLUMNS = ["date", "open", "high", "low", "close", "volume"]
_LAYOUTS = {
    "funding_rate": ["date", "funding_rate"],
    "open_interest": ["date", "open_interest_amount", "open_interest_value"],
}
_OHLCV_AGG = {"open": "first", "high": "max", "low": "min", "close": "last", "volume": "max"}


def candle_columns(candle_type: str) -> list[str]:
    return _LAYOUTS.get(candle_type, OHLCV_COLUMNS)


def _read(file: Path, data_format: str) -> pd.DataFrame:
    if data_format == "feather":
        return pd.read_feather(file)
    if data_format == "parquet":
        return pd.read_parquet(file)
    if data_format in ("json", "jsongz"):
        # Freqtrade's JSON handlers store [[ms, o, h, l, c, v], ...] (gzip for jsongz).
        return pd.read_json(file, orient="values", compression="gzip" if data_format == "jsongz" else None)
    raise ValueError(f"unknown candle file format {data_format!r}")


def _normalize(frame: pd.DataFrame, candle_type: str) -> pd.DataFrame:
    """IDataHandler._normalize_columns: named columns first, then the legacy/positional layouts."""
    columns = candle_columns(candle_type)
    if set(columns).issubset(frame.columns):
        return frame.loc[:, columns]
    if candle_type == "funding_rate" and set(OHLCV_COLUMNS).issubset(frame.columns):
        return frame.rename(columns={"open": "funding_rate"}).loc[:, columns]
    if frame.shape[1] == len(columns):
        frame.columns = columns
        return frame
    if candle_type == "funding_rate" and frame.shape[1] == len(OHLCV_COLUMNS):
        frame.columns = OHLCV_COLUMNS
        return frame.rename(columns={"open": "funding_rate"}).loc[:, columns]
    raise ValueError(f"{frame.shape[1]} columns, expected {', '.join(columns)}")


def read_candles(file: Path, candle_type: str, data_format: str) -> pd.DataFrame:
    """One candle file's candles, as Freqtrade loads them without filling gaps."""
    columns = candle_columns(candle_type)
    frame = _read(file, data_format)
    if frame.empty:
        return pd.DataFrame(columns=columns)
    frame = _normalize(frame, candle_type).astype(dtype={column: "float" for column in columns[1:]})
    if data_format in ("json", "jsongz"):
        frame["date"] = pd.to_datetime(frame["date"], unit="ms", utc=True).dt.as_unit("ms")
    else:
        frame["date"] = frame["date"].dt.as_unit("ms")
    if candle_type == "funding_rate":
        frame["date"] = frame["date"].dt.floor("s")  # as ohlcv_load does: rates are off by a few ms
    aggregation = _OHLCV_AGG if columns is OHLCV_COLUMNS else {column: "first" for column in columns[1:]}
    return frame.groupby(by="date", as_index=False, sort=True).agg(aggregation)
