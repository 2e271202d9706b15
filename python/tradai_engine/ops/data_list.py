"""data-list: every candle file under <user_data>/data/<exchange>/, with its range and gaps.
Read with pandas/pyarrow (candle_read.py), not Freqtrade's handlers: no Freqtrade import."""

from __future__ import annotations

import os
from pathlib import Path

from .. import protocol
from ..candle_read import read_candles
from ..candles import bad_price_rows, reimport_hint, summarize
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
            candles = read_candles(file, parsed["candleType"], parsed["format"])
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


def _candle_files(root: Path) -> list[Path]:
    # os.walk with followlinks: tradai links data/<exchange> (or files in it) to shared candle dirs.
    files = []
    for folder, _dirs, names in os.walk(root, followlinks=True):
        files.extend(Path(folder) / name for name in names if parse_candle_filename(name))
    return sorted(files)
