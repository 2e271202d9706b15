"""data-list reads candle files without Freqtrade (candle_read.py): the frames equal what
Freqtrade's own data handlers load, and the op leaves Freqtrade unimported."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys

import pandas as pd
import pytest

from tradai_engine.candle_read import read_candles
from tradai_engine.candles import load

from .conftest import REPO


@pytest.mark.parametrize("pair", ["ETH/BTC", "LTC/BTC", "XMR/BTC"])
def test_fixture_candles_equal_freqtrades(market_data, pair):
    file = market_data / "binance" / f"{pair.replace('/', '_')}-5m.feather"
    ours = read_candles(file, "spot", "feather")
    pd.testing.assert_frame_equal(ours, load(file, pair, "5m", "spot", "feather"))
    assert len(ours) > 1000


# Duplicated and unsorted dates, integer prices: what clean_ohlcv_dataframe merges and astype fixes.
ROWS = [
    [1515564000000, 1, 2, 0.5, 1.5, 10],
    [1515564300000, 1.5, 2, 1, 1.8, 12],
    [1515564000000, 1.1, 2.5, 0.4, 1.6, 11],
    [1515564900000, 2, 3, 1, 2, 9],
    [1515564600000, 1.8, 2.2, 1.6, 2, 9],
]


def _write(folder, data_format):
    folder.mkdir(parents=True, exist_ok=True)
    frame = pd.DataFrame(ROWS, columns=["date", "open", "high", "low", "close", "volume"])
    if data_format in ("json", "jsongz"):
        text = json.dumps(ROWS)
        if data_format == "json":
            file = folder / "ETH_BTC-5m.json"
            file.write_text(text)
        else:
            file = folder / "ETH_BTC-5m.json.gz"
            file.write_bytes(gzip.compress(text.encode()))
        return file
    frame["date"] = pd.to_datetime(frame["date"], unit="ms", utc=True)
    file = folder / f"ETH_BTC-5m.{data_format}"
    frame.to_feather(file) if data_format == "feather" else frame.to_parquet(file)
    return file


@pytest.mark.parametrize("data_format", ["feather", "parquet", "json", "jsongz"])
def test_every_format_equals_freqtrades_with_duplicates(tmp_path, data_format):
    file = _write(tmp_path / data_format, data_format)
    ours = read_candles(file, "spot", data_format)
    pd.testing.assert_frame_equal(ours, load(file, "ETH/BTC", "5m", "spot", data_format))
    assert len(ours) == 4  # the duplicate date merged


def test_a_foreign_file_raises(tmp_path):
    file = tmp_path / "ETH_BTC-5m.feather"
    pd.DataFrame({"a": [1], "b": [2]}).to_feather(file)
    with pytest.raises(ValueError, match="2 columns"):
        read_candles(file, "spot", "feather")


def test_data_list_does_not_import_freqtrade(market_data, tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "binance").symlink_to(market_data / "binance")
    script = (
        "import json, sys\n"
        "from tradai_engine.ops import data_list\n"
        f"result = data_list.run({{'userDataDir': {str(tmp_path)!r}}})\n"
        "print(json.dumps({'files': len(result['files']), 'ok': sum(f['status'] == 'ok' for f in result['files']),"
        " 'freqtrade': sorted(m for m in sys.modules if m == 'freqtrade' or m.startswith('freqtrade.'))}))\n"
    )
    # A fresh interpreter: this test process imported Freqtrade above.
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO / "python", capture_output=True, text=True, check=True)
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    assert answer["freqtrade"] == []
    assert answer["files"] == answer["ok"] == len(list((market_data / "binance").glob("*.feather")))

    # And through the bridge's real entry point (contract checks included): -X importtime lists every import.
    bridge = subprocess.run([sys.executable, "-X", "importtime", "-m", "tradai_engine", "data-list"], cwd=REPO / "python",
                            input=json.dumps({"userDataDir": str(tmp_path)}), capture_output=True, text=True, check=True)
    assert '"event": "result"' in bridge.stdout
    imported = [line.rsplit("|", 1)[-1].strip() for line in bridge.stderr.splitlines() if line.startswith("import time:")]
    assert "pandas" in imported
    assert [name for name in imported if name.split(".")[0] == "freqtrade"] == []
