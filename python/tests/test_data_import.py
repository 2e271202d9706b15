"""Candle import checks (ops/data_import.py): every bad file is refused before anything is written,
with the file, the row and the fix; good files land in Freqtrade's layout."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from tradai_engine.ops import data_import
from tradai_engine.protocol import BridgeError

HEADER = "date,open,high,low,close,volume\n"
ROWS = ["2018-01-10 05:00:00,1,2,0.5,1.5,10\n", "2018-01-10 05:05:00,1.5,2,1,1.8,12\n", "2018-01-10 05:10:00,1.8,2.2,1.6,2,9\n"]


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return path


def refused(tmp_path, *paths, **fields) -> BridgeError:
    with pytest.raises(BridgeError) as caught:
        data_import.run({"userDataDir": str(tmp_path / "ud"), "exchange": "binance", "paths": [str(p) for p in paths], **fields})
    assert caught.value.code == "USAGE"
    assert not (tmp_path / "ud" / "data").exists()  # nothing written
    return caught.value


def test_csv_imports_into_freqtrades_layout(tmp_path, capsys):
    source = write(tmp_path, "ETH_BTC-5m.csv", HEADER + "".join(ROWS))
    result = data_import.run({"userDataDir": str(tmp_path / "ud"), "exchange": "binance", "paths": [str(source)]})
    (imported,) = result["imported"]
    assert (imported["pair"], imported["timeframe"], imported["count"]) == ("ETH/BTC", "5m", 3)
    assert imported["first"].startswith("2018-01-10T05:00")
    frame = pd.read_feather(imported["file"])
    assert list(frame.columns[:6]) == data_import.COLUMNS and len(frame) == 3


def test_freqtrade_json_with_epoch_ms_and_overrides(tmp_path, capsys):
    rows = [[1515560400000 + i * 300_000, 1, 2, 0.5, 1.5, 10] for i in range(4)]
    source = write(tmp_path, "candles.json", json.dumps(rows))
    result = data_import.run({"userDataDir": str(tmp_path / "ud"), "exchange": "binance", "paths": [str(source)],
                              "pair": "LTC/BTC", "timeframe": "5m"})
    assert result["imported"][0]["pair"] == "LTC/BTC" and result["imported"][0]["count"] == 4


@pytest.mark.parametrize(
    ("rows", "says"),
    [
        ([ROWS[1], ROWS[0]], "not in ascending order"),
        ([ROWS[0], ROWS[0]], "duplicate timestamp"),
        (["2018-01-10 05:01:00,1,2,0.5,1.5,10\n"], "not on the 5m grid"),
        (["2018-01-10 05:00:00,1,0.5,2,1.5,10\n"], "high is below low"),
        (["2018-01-10 05:00:00,1,2,0.5,abc,10\n"], "close is not a number"),
        (["yesterday,1,2,0.5,1.5,10\n"], "is not a date"),
    ],
)
def test_bad_rows_are_named(tmp_path, rows, says):
    error = refused(tmp_path, write(tmp_path, "ETH_BTC-5m.csv", HEADER + "".join(rows)))
    assert says in error.message and "ETH_BTC-5m.csv" in error.message and "row " in error.message
    assert error.hint and error.details["row"] >= 1


def test_missing_columns_are_listed(tmp_path):
    error = refused(tmp_path, write(tmp_path, "ETH_BTC-5m.csv", "date,open,close\n2018-01-10,1,1\n"))
    assert "high, low, volume" in error.message


def test_one_bad_file_stops_the_whole_import(tmp_path):
    good = write(tmp_path, "ETH_BTC-5m.csv", HEADER + "".join(ROWS))
    bad = write(tmp_path, "LTC_BTC-5m.csv", HEADER + ROWS[1] + ROWS[0])
    refused(tmp_path, good, bad)


def test_name_without_pair_needs_overrides(tmp_path):
    error = refused(tmp_path, write(tmp_path, "candles.csv", HEADER + "".join(ROWS)))
    assert "--pair" in error.hint


def test_two_files_for_one_pair_are_refused(tmp_path):
    first = write(tmp_path, "ETH_BTC-5m.csv", HEADER + "".join(ROWS))
    (tmp_path / "b").mkdir()
    second = write(tmp_path, "b/ETH_BTC-5m.csv", HEADER + "".join(ROWS))
    assert "both hold ETH/BTC 5m" in refused(tmp_path, first, second).message


def test_missing_path_is_named(tmp_path):
    assert "nope.csv does not exist" in refused(tmp_path, tmp_path / "nope.csv").message


def test_fixture_candles_pass_the_checks(tmp_path, market_data, capsys):
    source = market_data / "binance" / "ETH_BTC-5m.feather"
    result = data_import.run({"userDataDir": str(tmp_path / "ud"), "exchange": "binance", "paths": [str(source)]})
    assert result["imported"][0]["count"] == 5760
