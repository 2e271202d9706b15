"""data-import: bring candles the user has (csv, json, feather, parquet) into Freqtrade's layout.

Every file is read and validated before anything is written, so a bad file leaves the data
folder as it was. Problems are USAGE errors naming the file, the problem and the first
offending row, because the fix is always in the user's file.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from .. import protocol
from ..candles import iso, store, summarize
from ..pairs import pair_timeframe_from_path, parse_pair, timeframe_seconds
from ..protocol import BridgeError
from ..requests import optional, require

COLUMNS = ["date", "open", "high", "low", "close", "volume"]
READERS = {".csv": "csv", ".json": "json", ".feather": "feather", ".parquet": "parquet"}
# Freqtrade's non-spot candle files end in their candle type (ETH_USDT_USDT-1h-futures.feather,
# -mark, -funding_rate: IDataHandler._pair_data_filename); the ones a futures backtest reads.
CANDLE_TYPE_SUFFIX = re.compile(r"^(?P<stem>.+)-(?P<type>futures|mark|funding_rate)$")
# Epoch numbers above this are milliseconds (Freqtrade's json), below it seconds.
_MS_THRESHOLD = 10**11


def run(request: dict) -> dict:
    user_data_dir = require(request, "userDataDir", str)
    exchange = require(request, "exchange", str)
    pair_override = optional(request, "pair", str)
    timeframe_override = optional(request, "timeframe", str)
    sources = _expand(require(request, "paths", list))

    protocol.stage("validate", "start")
    planned: dict[tuple[str, str, str], tuple[Path, pd.DataFrame]] = {}
    for source in sources:
        pair, timeframe, candle_type = _pair_timeframe(source, pair_override, timeframe_override)
        if (pair, timeframe, candle_type) in planned:
            kind = "" if candle_type == "spot" else f" {candle_type}"
            raise BridgeError(
                "USAGE",
                f"{source} and {planned[(pair, timeframe, candle_type)][0]} both hold {pair} {timeframe}{kind}",
                hint="import one file per pair and timeframe (or pass --pair/--timeframe for each file separately)",
            )
        planned[(pair, timeframe, candle_type)] = (source, _validated(source, timeframe, candle_type))
    protocol.stage("validate", "done")

    protocol.stage("write", "start")
    imported = []
    for (pair, timeframe, candle_type), (source, candles) in planned.items():
        target = store(user_data_dir, exchange, pair, timeframe, candles, candle_type)
        summary = summarize(candles, timeframe)
        imported.append(
            {"source": str(source), "file": str(target), "pair": pair, "timeframe": timeframe, "candleType": candle_type,
             "count": summary["count"], "first": summary["first"], "last": summary["last"]}
        )
    protocol.stage("write", "done")
    return {"imported": imported}


def _expand(paths: list) -> list[Path]:
    """Files as given; a folder stands for the candle files directly inside it."""
    files = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if _reader(p)))
        elif path.is_file():
            files.append(path)
        else:
            raise BridgeError("USAGE", f"{raw} does not exist", hint="pass the path of a csv, json, feather or parquet candle file")
    if not files:
        raise BridgeError("USAGE", f"no candle files (csv, json, feather, parquet) in {paths}")
    return files


def _reader(path: Path) -> str | None:
    return READERS.get(path.suffix.lower())


def _pair_timeframe(source: Path, pair: str | None, timeframe: str | None) -> tuple[str, str, str]:
    """(pair, timeframe, candle type) of a file: from the flags, else its name. A futures pair
    (BASE/QUOTE:SETTLE) holds futures candles unless the name says -mark or -funding_rate."""
    suffixed = CANDLE_TYPE_SUFFIX.match(source.name.split(".")[0])
    named = source.with_name(suffixed["stem"] + source.suffix) if suffixed else source
    guessed_pair, guessed_timeframe = pair_timeframe_from_path(named)
    pair, timeframe = pair or guessed_pair, timeframe or guessed_timeframe
    if not pair or not timeframe:
        missing = " and ".join(n for n, v in (("pair", pair), ("timeframe", timeframe)) if not v)
        raise BridgeError(
            "USAGE",
            f"cannot tell the {missing} of {source} from its name",
            hint="name the file like ETH_BTC-5m.csv (ETH_USDT_USDT-1h-futures.feather, -mark, -funding_rate for futures), "
                 "or pass --pair ETH/BTC --timeframe 5m",
        )
    try:
        settle = parse_pair(pair)[2]
        timeframe_seconds(timeframe)
    except ValueError as exc:
        raise BridgeError("USAGE", f"{source}: {exc}", hint="pass --pair BASE/QUOTE and --timeframe such as 5m") from exc
    candle_type = suffixed["type"] if suffixed else "futures" if settle else "spot"
    if candle_type != "spot" and not settle:
        raise BridgeError("USAGE", f"{source}: {candle_type} candles belong to a futures pair, not {pair}",
                          hint=f"name the file after the futures pair, e.g. {pair.replace('/', '_')}_{pair.split('/')[1]}-{timeframe}-{candle_type}"
                               f"{source.suffix} (or pass --pair {pair}:{pair.split('/')[1]})")
    return pair, timeframe, candle_type


def _read(source: Path) -> pd.DataFrame:
    kind = _reader(source)
    if kind is None:
        raise BridgeError("USAGE", f"{source}: unknown file type {source.suffix!r}", hint=f"use one of {', '.join(READERS)}")
    try:
        if kind == "csv":
            return pd.read_csv(source)
        if kind == "feather":
            return pd.read_feather(source)
        if kind == "parquet":
            return pd.read_parquet(source)
        rows = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, ValueError, ImportError) as exc:
        raise BridgeError("USAGE", f"{source}: cannot read it as {kind}: {exc}", hint="check that the file is complete and really is " + kind) from exc
    # Freqtrade's own json is a list of [timestamp_ms, open, high, low, close, volume] lists.
    if isinstance(rows, list) and rows and isinstance(rows[0], list):
        return pd.DataFrame([r[:6] for r in rows], columns=COLUMNS)
    if isinstance(rows, list):
        return pd.DataFrame.from_records(rows)
    raise BridgeError("USAGE", f"{source}: json must be a list of candles ([ts, o, h, l, c, v] lists or objects)")


def _validated(source: Path, timeframe: str, candle_type: str = "spot") -> pd.DataFrame:
    frame = _read(source)
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    if candle_type == "funding_rate":
        return _funding_rates(source, frame, timeframe)
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise BridgeError(
            "USAGE",
            f"{source}: missing column(s) {', '.join(missing)}; found {', '.join(frame.columns) or 'none'}",
            hint="the file needs a header with date, open, high, low, close, volume",
        )
    if frame.empty:
        raise BridgeError("USAGE", f"{source}: has no candles")
    candles = frame[COLUMNS].copy()
    # Row numbers in messages count data rows from 1, as a spreadsheet shows them below the header.
    candles["date"] = _dates(source, candles["date"])
    for column in COLUMNS[1:]:
        numbers = pd.to_numeric(candles[column], errors="coerce")
        _fail_at(source, numbers.isna(), candles, f"{column} is not a number ({{value}})", column,
                 "OHLCV values must be plain numbers; remove units, thousands separators or empty cells")
        candles[column] = numbers.astype("float64")
    _check_timeline(source, candles, timeframe, "candle", "candles must start at multiples of it")
    _fail_at(source, candles["high"] < candles["low"], candles, "high is below low (high {value})", "high",
             "check the column order: date, open, high, low, close, volume")
    protocol.log("info", f"{source.name}: {len(candles)} candles {iso(candles['date'].iloc[0])} .. {iso(candles['date'].iloc[-1])}")
    return candles.reset_index(drop=True)


FUNDING_COLUMNS = ["date", "funding_rate"]


def _funding_rates(source: Path, frame: pd.DataFrame, timeframe: str) -> pd.DataFrame:
    """Funding rates in Freqtrade's layout (freqtrade/candle_columns.py: date, funding_rate); a file in
    Freqtrade's older layout (OHLCV candles, the rate in open) is read the way Freqtrade reads it."""
    if "funding_rate" not in frame.columns and "open" in frame.columns:
        frame = frame.rename(columns={"open": "funding_rate"})
    missing = [c for c in FUNDING_COLUMNS if c not in frame.columns]
    if missing:
        raise BridgeError("USAGE", f"{source}: missing column(s) {', '.join(missing)}; found {', '.join(frame.columns) or 'none'}",
                          hint="funding-rate files need date and funding_rate columns (or Freqtrade's older date, open, ... with the rate in open)")
    if frame.empty:
        raise BridgeError("USAGE", f"{source}: has no funding rates")
    rates = frame[FUNDING_COLUMNS].copy()
    rates["date"] = _dates(source, rates["date"])
    numbers = pd.to_numeric(rates["funding_rate"], errors="coerce")
    _fail_at(source, numbers.isna(), rates, "funding_rate is not a number ({value})", "funding_rate", "funding rates must be plain numbers (0.0001 = 0.01%)")
    rates["funding_rate"] = numbers.astype("float64")
    _check_timeline(source, rates, timeframe, "rate", "rates must fall on multiples of it")
    protocol.log("info", f"{source.name}: {len(rates)} funding rates {iso(rates['date'].iloc[0])} .. {iso(rates['date'].iloc[-1])}")
    return rates.reset_index(drop=True)


def _check_timeline(source: Path, frame: pd.DataFrame, timeframe: str, one: str, on_grid: str) -> None:
    """Dates ascending, one row (``one``: candle, rate) per timestamp, each on the timeframe's grid."""
    _fail_at(source, frame["date"].diff() < pd.Timedelta(0), frame, "dates are not in ascending order ({value})", "date",
             "sort the file by date, oldest first")
    _fail_at(source, frame["date"].duplicated(), frame, "duplicate timestamp {value}", "date", f"keep one {one} per timestamp")
    step = pd.Timedelta(seconds=timeframe_seconds(timeframe))
    _fail_at(source, (frame["date"] - pd.Timestamp(0, tz="UTC")) % step != pd.Timedelta(0), frame,
             f"timestamp {{value}} is not on the {timeframe} grid", "date", f"check the timeframe ({timeframe}): {on_grid}")


def _dates(source: Path, raw: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(raw):  # feather/parquet keep real datetimes
        return (raw.dt.tz_localize("UTC") if raw.dt.tz is None else raw.dt.tz_convert("UTC")).astype("datetime64[ns, UTC]")
    numeric = pd.to_numeric(raw, errors="coerce")
    if numeric.notna().all():
        unit = "ms" if numeric.abs().max() > _MS_THRESHOLD else "s"
        dates = pd.to_datetime(numeric, unit=unit, utc=True)
    else:
        dates = pd.to_datetime(raw, utc=True, errors="coerce", format="mixed")
    bad = dates.isna()
    if bad.any():
        row = int(bad.to_numpy().argmax())
        raise BridgeError(
            "USAGE",
            f"{source}: row {row + 1}: date {raw.iloc[row]!r} is not a date",
            hint="use ISO dates (2018-01-10 05:00:00, UTC unless it says otherwise) or epoch seconds/milliseconds",
            details={"file": str(source), "row": row + 1},
        )
    return dates.astype("datetime64[ns, UTC]")


def _fail_at(source: Path, bad: pd.Series, candles: pd.DataFrame, problem: str, column: str, hint: str) -> None:
    if not bad.any():
        return
    row = int(bad.to_numpy().argmax())
    value = candles[column].iloc[row]
    value = iso(value) if isinstance(value, pd.Timestamp) else repr(value) if isinstance(value, str) else str(value)
    raise BridgeError(
        "USAGE",
        f"{source}: row {row + 1} ({iso(candles['date'].iloc[row])}): {problem.format(value=value)}"
        if column != "date" else f"{source}: row {row + 1}: {problem.format(value=value)}",
        hint=hint,
        details={"file": str(source), "row": row + 1, "count": int(bad.sum())},
    )
