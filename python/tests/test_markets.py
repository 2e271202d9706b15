"""Offline markets (markets.py): synthesized and snapshot markets, and no network."""

from __future__ import annotations

import json

import pytest

from tradai_engine import markets
from tradai_engine.protocol import BridgeError


def test_synthesized_spot_and_swap_markets():
    spot, swap = markets.synthesize_markets(["ETH/BTC", "BTC/USDT:USDT"], markets._TICK_SIZE)
    assert (spot["symbol"], spot["type"], spot["spot"], spot["settle"]) == ("ETH/BTC", "spot", True, None)
    assert (swap["type"], swap["linear"], swap["settle"], swap["contractSize"]) == ("swap", True, "USDT", 1.0)
    assert spot["taker"] == markets.SYNTHESIZED_FEE
    assert spot["precision"]["price"] == 1e-8


def test_decimal_places_precision_mode_gets_digit_counts():
    (market,) = markets.synthesize_markets(["ETH/BTC"], markets._DECIMAL_PLACES)
    assert market["precision"]["amount"] == 8


def test_bad_pair_is_refused():
    with pytest.raises(ValueError):
        markets.synthesize_markets(["ETHBTC"], markets._TICK_SIZE)


def test_install_serves_markets_and_refuses_http(tmp_path):
    import ccxt

    source = markets.install_offline_markets("binance", ["ETH/BTC"], str(tmp_path))
    assert source == {"source": "synthesized", "file": None, "missing": []}
    exchange = ccxt.binance()
    loaded = exchange.load_markets()
    assert "ETH/BTC" in loaded and loaded["ETH/BTC"]["info"]["tradai"]
    with pytest.raises(ccxt.NetworkError, match="offline"):
        exchange.fetch("https://api.binance.com/api/v3/ping")


def test_snapshot_is_used_and_names_missing_pairs(tmp_path):
    (tmp_path / "markets").mkdir()
    (market,) = markets.synthesize_markets(["LTC/BTC"], markets._TICK_SIZE)
    (tmp_path / "markets" / "binance.json").write_text(json.dumps({"markets": {"LTC/BTC": market}}))
    source = markets.install_offline_markets("binance", ["LTC/BTC", "ETH/BTC"], str(tmp_path))
    assert source["source"] == "snapshot" and source["missing"] == ["ETH/BTC"]


def test_unreadable_snapshot_is_a_config_error(tmp_path):
    (tmp_path / "markets").mkdir()
    (tmp_path / "markets" / "binance.json").write_text('{"markets": {}}')
    with pytest.raises(BridgeError) as caught:
        markets.install_offline_markets("binance", ["ETH/BTC"], str(tmp_path))
    assert caught.value.code == "CONFIG" and "binance.json" in caught.value.message


def test_unknown_exchange_is_a_config_error(tmp_path):
    with pytest.raises(BridgeError) as caught:
        markets.install_offline_markets("nosuchexchange", ["ETH/BTC"], str(tmp_path))
    assert caught.value.code == "CONFIG" and "nosuchexchange" in caught.value.message
