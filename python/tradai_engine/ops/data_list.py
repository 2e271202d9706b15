"""data-list: every candle file under <user_data>/data/<exchange>/, with its range and gaps."""

from __future__ import annotations

import os
from pathlib import Path

from .. import protocol
from ..candles import bad_price_rows, load, reimport_hint, summarize
from ..pairs import parse_candle_filename
from ..requests import optional, require


def run(request: dict) -> dict:
    data_dir = Path(require(request, "userDataDir", str)) / "data"
    exchange = optional(request, "exchange", str)
    roots = [data_dir / exchange] if exchange else sorted(p for p in data_dir.glob("*") if p.is_dir())
    found = [(root.name, file) for root in roots for file in _candle_files(root)]
    files = []
    for index, (exchange_name, file) in enumerate(found, start=1):
        protocol.progress("data-list", index, len(found), file.name)
        parsed = parse_candle_filename(file.name)
        entry = {"file": str(file), "exchange": exchange_name, **parsed}
        try:
            candles = load(file, parsed["pair"], parsed["timeframe"], parsed["candleType"], parsed["format"])
            if candles.empty and file.stat().st_size > 0:
                # Freqtrade's handlers swallow a read error and return no candles: read it ourselves.
                _read_raw(file, parsed["format"])
        except Exception as exc:  # noqa: BLE001 - a truncated/foreign file is reported, not fatal
            files.append({**entry, "first": None, "last": None, "count": 0, "gaps": 0, "largestGap": None,
                          "status": "unreadable", "badRows": 0,
                          "problem": f"{type(exc).__name__}: the file cannot be read. "
                                     + reimport_hint(file, parsed["pair"], parsed["timeframe"], exchange_name)})
            continue
        bad = bad_price_rows(candles)
        files.append({**entry, **summarize(candles, parsed["timeframe"]), "status": "bad-rows" if bad else "ok",
                      "badRows": bad,
                      "problem": f"{bad} row(s) with NaN, zero or negative prices" if bad else None})
    return {"dataDir": str(data_dir), "files": files}


def _read_raw(file: Path, data_format: str) -> None:
    """Raises when the file cannot be parsed in its format (truncated, foreign)."""
    if data_format == "feather":
        import pyarrow.feather as feather

        feather.read_table(file)
    elif data_format == "parquet":
        import pyarrow.parquet as parquet

        parquet.read_table(file)
    elif data_format == "jsongz":
        import gzip
        import json

        json.loads(gzip.decompress(file.read_bytes()))
    else:
        import json

        json.loads(file.read_text())


def _candle_files(root: Path) -> list[Path]:
    # os.walk with followlinks: tradai links data/<exchange> (or files in it) to shared candle dirs.
    files = []
    for folder, _dirs, names in os.walk(root, followlinks=True):
        files.extend(Path(folder) / name for name in names if parse_candle_filename(name))
    return sorted(files)
