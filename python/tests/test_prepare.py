"""The shared "prepare a Freqtrade run" path (prepare.py) used by both hyperopt engines."""

from __future__ import annotations

import json
import shutil

import pytest

from tradai_engine import markets
from tradai_engine.prepare import prepare_run
from tradai_engine.protocol import BridgeError


def config_for(user_data, pairs):
    return {"exchange": {"name": "binance", "pair_whitelist": pairs}, "datadir": str(user_data / "data" / "binance"),
            "timeframe": "5m", "trading_mode": "spot", "timerange": "20180110-20180112"}


@pytest.fixture
def user_data(tmp_path, market_data):
    data = tmp_path / "ud" / "data" / "binance"
    data.mkdir(parents=True)
    shutil.copy(market_data / "binance" / "ETH_BTC-5m.feather", data)
    return tmp_path / "ud"


def test_prepared_run_writes_the_config(user_data, tmp_path):
    config_file = tmp_path / "run" / "config.json"
    source = prepare_run(config_for(user_data, ["ETH/BTC"]), str(user_data), config_file)
    assert source["source"] == "synthesized"
    assert json.loads(config_file.read_text())["exchange"]["pair_whitelist"] == ["ETH/BTC"]


def test_missing_candles_are_data_not_found(user_data, tmp_path):
    with pytest.raises(BridgeError) as caught:
        prepare_run(config_for(user_data, ["ETH/BTC", "LTC/BTC"]), str(user_data), tmp_path / "run" / "config.json")
    assert caught.value.code == "DATA_NOT_FOUND" and "LTC/BTC" in caught.value.message
    assert not (tmp_path / "run").exists()


def test_pair_missing_from_the_markets_snapshot_is_refused(user_data, tmp_path):
    (user_data / "markets").mkdir()
    (other,) = markets.synthesize_markets(["LTC/BTC"], markets._TICK_SIZE)
    (user_data / "markets" / "binance.json").write_text(json.dumps({"markets": {"LTC/BTC": other}}))
    with pytest.raises(BridgeError) as caught:
        prepare_run(config_for(user_data, ["ETH/BTC"]), str(user_data), tmp_path / "run" / "config.json")
    assert caught.value.code == "USAGE" and "ETH/BTC not listed on binance" in caught.value.message
    assert caught.value.details["pairs"] == ["ETH/BTC"]
