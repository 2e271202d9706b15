"""StrategyMetadata.validate (python/tradai/metadata.py): every problem names the class and field."""

from __future__ import annotations

import pytest

from tradai.metadata import StrategyMetadata, StrategyMetadataError

GOOD = dict(name="rsi", version="1.2.0-rc.1+build.5", description="RSI", author="me", tags=["mean-reversion"],
            timeframe="5m", exchange="binance", trading_mode="spot", default_pairs=["ETH/BTC"])


def test_valid_metadata_passes_and_serialises_camel_case():
    metadata = StrategyMetadata(**GOOD)
    metadata.validate("Rsi")
    assert metadata.to_dict()["defaultPairs"] == ["ETH/BTC"] and metadata.to_dict()["tradingMode"] == "spot"


def test_futures_metadata_passes():
    StrategyMetadata(**{**GOOD, "trading_mode": "futures", "default_pairs": ["BTC/USDT:USDT"]}).validate("F")


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("name", None, "missing"),
        ("version", "1.2", "semantic version"),
        ("description", "  ", "non-empty"),
        ("timeframe", "7m", "known timeframe"),
        ("exchange", "Binance", "lower-case"),
        ("trading_mode", "options", "trading mode"),
        ("tags", ["ok", ""], "non-empty strings"),
        ("default_pairs", [], "is empty"),
        ("default_pairs", ["ETHBTC"], "not a pair"),
        ("default_pairs", ["BTC/USDT:USDT"], "futures pair"),
        ("default_pairs", ["ETH/BTC", "ETH/BTC"], "twice"),
    ],
)
def test_invalid_field_is_named(field, value, says):
    with pytest.raises(StrategyMetadataError) as caught:
        StrategyMetadata(**{**GOOD, field: value}).validate("MyStrategy")
    assert caught.value.class_name == "MyStrategy" and caught.value.field == field
    assert f"MyStrategy.strategy_metadata.{field}" in str(caught.value) and says in str(caught.value)


def test_metadata_error_is_an_import_error():
    # Freqtrade's resolver skips a file that raises ImportError instead of failing the whole folder.
    assert issubclass(StrategyMetadataError, ImportError)


def test_futures_mode_with_spot_pair_suggests_the_settle_form():
    with pytest.raises(StrategyMetadataError, match="BTC/USDT:USDT"):
        StrategyMetadata(**{**GOOD, "trading_mode": "futures", "default_pairs": ["BTC/USDT"]}).validate("F")
