"""build_config (ft_config.py): request, then the strategy's metadata, then its class, then defaults."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from tradai_engine.ft_config import build_config
from tradai_engine.protocol import BridgeError

FILE = Path("/strategies/x/my_strategy.py")


class Plain:
    timeframe = "1h"


class WithMetadata:
    timeframe = "1h"
    max_open_trades = math.inf
    strategy_metadata = {"exchange": "Kraken", "timeframe": "15m", "default_pairs": ["ETH/BTC", "LTC/BTC"]}


class Futures:
    strategy_metadata = {"trading_mode": "futures", "default_pairs": ["BTC/USDT:USDT"]}


def request(**fields):
    return {"userDataDir": "/ud", "runDir": "/run", **fields}


def config_error(strategy, **fields) -> BridgeError:
    with pytest.raises(BridgeError) as caught:
        build_config(request(**fields), strategy, FILE)
    assert caught.value.code == "USAGE"
    return caught.value


def test_defaults_and_layout():
    config = build_config(request(pairs=["ETH/BTC", "ETH/BTC"]), Plain, FILE)
    assert config["strategy"] == "Plain" and config["strategy_path"] == "/strategies/x"
    assert config["exchange"]["name"] == "binance" and config["datadir"] == "/ud/data/binance"
    assert config["exchange"]["pair_whitelist"] == ["ETH/BTC"]  # repeats dropped
    assert (config["timeframe"], config["stake_currency"], config["dry_run_wallet"]) == ("1h", "BTC", 1.0)
    assert (config["max_open_trades"], config["stake_amount"], config["backtest_cache"]) == (3, "unlimited", "none")
    assert config["exportdirectory"] == "/run" and "timerange" not in config and "fee" not in config


def test_metadata_wins_over_class_and_request_wins_over_metadata():
    config = build_config(request(), WithMetadata, FILE)
    assert (config["exchange"]["name"], config["timeframe"]) == ("kraken", "15m")
    assert config["exchange"]["pair_whitelist"] == ["ETH/BTC", "LTC/BTC"]
    assert config["max_open_trades"] == -1  # inf in the class means no limit
    config = build_config(request(exchange="binance", timeframe="5m", pairs=["XRP/BTC"], timerange="20180110-20180112",
                                  fee=0.002, maxOpenTrades=2, stakeAmount=0.01, startingBalance=5), WithMetadata, FILE)
    assert (config["exchange"]["name"], config["timeframe"]) == ("binance", "5m")
    assert config["exchange"]["pair_whitelist"] == ["XRP/BTC"]
    assert (config["timerange"], config["fee"], config["max_open_trades"]) == ("20180110-20180112", 0.002, 2)
    assert (config["stake_amount"], config["dry_run_wallet"]) == (0.01, 5)


def test_futures_stake_in_settle_currency():
    config = build_config(request(), Futures, FILE)
    assert (config["trading_mode"], config["margin_mode"], config["stake_currency"]) == ("futures", "isolated", "USDT")


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"timeframe": "7m"}, "7m"),
        ({"pairs": ["ETHBTC"]}, "ETHBTC"),
        ({"pairs": ["ETH/BTC", "ETH/USDT"]}, "BTC, USDT"),
        ({"pairs": ["BTC/USDT:USDT"]}, "futures pair"),
        ({"stakeCurrency": "USDT"}, "USDT"),
        ({"cache": "year"}, "year"),
        ({"fee": 1.5}, "1.5"),
        ({"maxOpenTrades": 1.5}, "1.5"),
        ({"stakeAmount": -1}, "-1"),
        ({"startingBalance": 0}, "startingBalance"),
        ({"timerange": "2018-01-10"}, "YYYYMMDD"),
        ({"exchange": " "}, "exchange"),
    ],
)
def test_bad_values_are_usage_errors_naming_the_value(fields, named):
    assert named in config_error(Plain, **{"pairs": ["ETH/BTC"], **fields}).message


def test_no_pairs_names_the_fix():
    error = config_error(Plain)
    assert "--pairs" in (error.hint or "")


def test_spot_pair_for_futures_strategy_suggests_the_settle_form():
    assert "ETH/USDT:USDT" in config_error(Futures, pairs=["ETH/USDT"]).message
