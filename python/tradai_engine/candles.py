"""Candle files in Freqtrade's layout, read and written through Freqtrade's own data handlers
so that whatever tradai writes, Freqtrade reads back unchanged."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .pairs import pair_to_filename, timeframe_seconds

STORE_FORMAT = "feather"


def exchange_dir(user_data_dir: str, exchange: str) -> Path:
    return Path(user_data_dir) / "data" / exchange


def candle_file(user_data_dir: str, exchange: str, pair: str, timeframe: str, candle_type: str = "spot") -> Path:
    """Where Freqtrade keeps these candles (IDataHandler._pair_data_filename, feather)."""
    folder = exchange_dir(user_data_dir, exchange)
    suffix = ""
    if candle_type != "spot":
        folder, suffix = folder / "futures", f"-{candle_type}"
    return folder / f"{pair_to_filename(pair)}-{timeframe.replace('M', 'Mo')}{suffix}.{STORE_FORMAT}"


def load(file: Path, pair: str, timeframe: str, candle_type: str, data_format: str) -> pd.DataFrame:
    """One candle file as Freqtrade loads it, without filling gaps (so gaps can be counted)."""
    from freqtrade.data.history.datahandlers import get_datahandler
    from freqtrade.enums import CandleType

    # Freqtrade keeps non-spot candles in <exchange>/futures/ and expects the exchange dir.
    datadir = file.parent.parent if file.parent.name == "futures" else file.parent
    handler = get_datahandler(datadir, data_format)
    return handler.ohlcv_load(
        pair, timeframe, CandleType.from_string(candle_type), fill_missing=False, warn_no_data=False
    )


def store(user_data_dir: str, exchange: str, pair: str, timeframe: str, candles: pd.DataFrame, candle_type: str = "spot") -> Path:
    """Write candles where Freqtrade reads them: spot ``<user_data>/data/<exchange>/<BASE>_<QUOTE>-<tf>.feather``,
    other types ``.../futures/<BASE>_<QUOTE>_<SETTLE>-<tf>-<type>.feather``."""
    from freqtrade.data.history.datahandlers import get_datahandler
    from freqtrade.enums import CandleType

    datadir = exchange_dir(user_data_dir, exchange)
    datadir.mkdir(parents=True, exist_ok=True)
    get_datahandler(datadir, STORE_FORMAT).ohlcv_store(pair, timeframe, candles, CandleType.from_string(candle_type))
    return candle_file(user_data_dir, exchange, pair, timeframe, candle_type)


def summarize(candles: pd.DataFrame, timeframe: str) -> dict:
    """first/last (ISO UTC), count, missing candles between first and last, and the longest hole."""
    if candles.empty:
        return {"first": None, "last": None, "count": 0, "gaps": 0, "largestGap": None}
    step = pd.Timedelta(seconds=timeframe_seconds(timeframe))
    dates = candles["date"]
    first, last = dates.iloc[0], dates.iloc[-1]
    expected = int((last - first) / step) + 1
    holes = dates.diff().dropna() - step
    largest = holes.max() if len(holes) else pd.Timedelta(0)
    return {
        "first": iso(first),
        "last": iso(last),
        "count": int(len(candles)),
        "gaps": max(expected - len(candles), 0),
        "largestGap": int(largest / pd.Timedelta(minutes=1)) if largest > pd.Timedelta(0) else None,
    }


def iso(ts: pd.Timestamp) -> str:
    return ts.tz_convert("UTC").strftime("%Y-%m-%dT%H:%M:%SZ")


PRICE_COLUMNS = ("open", "high", "low", "close")


def bad_price_rows(candles: pd.DataFrame) -> int:
    """Rows whose open/high/low/close is NaN, zero or negative: Freqtrade would trade on them silently."""
    if candles.empty:
        return 0
    prices = candles[[column for column in PRICE_COLUMNS if column in candles.columns]]
    return int((prices.isna() | (prices <= 0)).any(axis=1).sum())


def reimport_hint(file: Path, pair: str, timeframe: str, exchange: str) -> str:
    return (f"Re-import it: delete {file}, then `tradai data download --exchange {exchange} --pairs {pair} "
            f"--timeframes {timeframe}` (or `tradai data import PATH` from your source file).")
