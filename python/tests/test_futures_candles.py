"""Futures candles: the series a futures backtest needs (Freqtrade's own exchange options), their
file names (Freqtrade's data handler) and their ArcticDB symbols (python/tradai_arctic/store.py,
the same rule as symbolName in src/core/data/arctic-store.ts), and data-import of futures files."""

from __future__ import annotations

import inspect
from pathlib import Path

import pandas as pd
import pytest

from tradai_arctic.store import parse_symbol, symbol_for
from tradai_engine.ops import data_import
from tradai_engine.protocol import BridgeError

# What src/core/data/arctic-store.ts (FUTURES_EXTRAS) reads beside a futures pair's candles:
# (mark candle type, mark timeframe, funding-rate timeframe), per exchange; "default" for the rest.
FUTURES_EXTRAS = {"default": ("mark", "1h", "1h"), "hyperliquid": ("futures", "1h", "1h")}


def _options(cls) -> tuple[str, str, str]:
    """The options Freqtrade's Backtesting.load_bt_data reads, as the exchange merges them in futures mode."""
    merged = {**cls._ft_has_default, **getattr(cls, "_ft_has", {}), **getattr(cls, "_ft_has_futures", {})}
    return merged["mark_ohlcv_price"], merged["mark_ohlcv_timeframe"], merged["funding_fee_timeframe"]


def test_the_mark_and_funding_series_are_freqtrades_own_for_every_futures_exchange():
    import freqtrade.exchange as exchanges
    from freqtrade.enums import TradingMode
    from freqtrade.exchange import Exchange

    futures = [
        cls for _name, cls in inspect.getmembers(exchanges, inspect.isclass)
        if issubclass(cls, Exchange) and cls is not Exchange
        and any(mode == TradingMode.FUTURES for mode, _margin in getattr(cls, "_supported_trading_mode_margin_pairs", []))
    ]
    assert {cls.__name__.lower() for cls in futures} >= {"binance", "bybit", "okx", "hyperliquid"}
    for cls in futures:
        assert _options(cls) == FUTURES_EXTRAS.get(cls.__name__.lower(), FUTURES_EXTRAS["default"]), cls.__name__


@pytest.mark.parametrize(
    ("pair", "timeframe", "candle_type"),
    [("ETH/BTC", "5m", "spot"), ("ETH/USDT:USDT", "5m", "futures"), ("ETH/USDT:USDT", "1h", "mark"),
     ("ETH/USDT:USDT", "1h", "funding_rate"), ("BTC/USDT:USDT", "1M", "futures")],
)
def test_default_symbols_are_freqtrades_file_stems_and_read_back(pair, timeframe, candle_type):
    from freqtrade.data.history.datahandlers.featherdatahandler import FeatherDataHandler
    from freqtrade.enums import CandleType

    symbol = symbol_for("{pair}-{timeframe}", pair, timeframe, candle_type)
    file = FeatherDataHandler._pair_data_filename(Path("/d"), pair, timeframe, CandleType(candle_type))
    # Freqtrade writes a month as "1Mo" in file names; the symbol keeps the timeframe as written.
    assert symbol == file.stem.replace("-1Mo", "-1M")
    assert parse_symbol("{pair}-{timeframe}", symbol) == {"pair": pair, "timeframe": timeframe, "candleType": candle_type}


def test_a_teams_template_round_trips_and_an_unreadable_one_says_so():
    template = "{base}.{quote}.{settle}/{timeframe}/{candle_type}"
    symbol = symbol_for(template, "ETH/USDT:USDT", "1h", "funding_rate")
    assert symbol == "ETH.USDT.USDT/1h/funding_rate"
    assert parse_symbol(template, symbol) == {"pair": "ETH/USDT:USDT", "timeframe": "1h", "candleType": "funding_rate"}
    assert symbol_for("{base}{quote}-{timeframe}", "ETH/USDT:USDT", "1h", "mark") == "ETHUSDT-1h-mark"
    assert parse_symbol("{base}{quote}-{timeframe}", "ETHUSDT-1h-mark") is None  # ETH+USDT or ETHU+SDT: not readable
    assert parse_symbol("{pair}-{timeframe}", "prices of the day") is None


CSV = "date,open,high,low,close,volume\n2018-01-10 05:00:00,1,2,0.5,1.5,10\n2018-01-10 06:00:00,1.5,2,1,1.8,12\n"
RATES = "date,funding_rate\n2018-01-10 05:00:00,0.0001\n2018-01-10 06:00:00,-0.00005\n"


def test_futures_files_import_into_freqtrades_futures_folder_with_their_candle_type(tmp_path):
    for name in ("ETH_USDT_USDT-1h-futures.csv", "ETH_USDT_USDT-1h-mark.csv", "LTC_USDT_USDT-1h.csv"):
        (tmp_path / name).write_text(CSV)
    (tmp_path / "ETH_USDT_USDT-1h-funding_rate.csv").write_text(RATES)
    (tmp_path / "LTC_USDT_USDT-1h-funding_rate.csv").write_text(CSV)  # Freqtrade's older layout: the rate in open
    result = data_import.run({"userDataDir": str(tmp_path / "ud"), "exchange": "binance", "paths": [str(tmp_path)]})
    futures = tmp_path / "ud" / "data" / "binance" / "futures"
    got = sorted((row["pair"], row["timeframe"], row["candleType"], Path(row["file"]).relative_to(futures).as_posix()) for row in result["imported"])
    assert got == [
        ("ETH/USDT:USDT", "1h", "funding_rate", "ETH_USDT_USDT-1h-funding_rate.feather"),
        ("ETH/USDT:USDT", "1h", "futures", "ETH_USDT_USDT-1h-futures.feather"),
        ("ETH/USDT:USDT", "1h", "mark", "ETH_USDT_USDT-1h-mark.feather"),
        ("LTC/USDT:USDT", "1h", "funding_rate", "LTC_USDT_USDT-1h-funding_rate.feather"),
        ("LTC/USDT:USDT", "1h", "futures", "LTC_USDT_USDT-1h-futures.feather"),  # a futures pair's file without suffix: its futures candles
    ]
    assert len(pd.read_feather(futures / "ETH_USDT_USDT-1h-mark.feather")) == 2
    # Funding rates in Freqtrade's own layout (freqtrade/candle_columns.py), whichever layout came in.
    assert pd.read_feather(futures / "ETH_USDT_USDT-1h-funding_rate.feather")["funding_rate"].tolist() == [0.0001, -0.00005]
    assert list(pd.read_feather(futures / "LTC_USDT_USDT-1h-funding_rate.feather").columns) == ["date", "funding_rate"]
    assert pd.read_feather(futures / "LTC_USDT_USDT-1h-funding_rate.feather")["funding_rate"].tolist() == [1.0, 1.5]


def test_mark_candles_of_a_spot_pair_are_refused_naming_the_futures_form(tmp_path):
    (tmp_path / "ETH_BTC-1h-mark.csv").write_text(CSV)
    with pytest.raises(BridgeError) as caught:
        data_import.run({"userDataDir": str(tmp_path / "ud"), "exchange": "binance", "paths": [str(tmp_path / "ETH_BTC-1h-mark.csv")]})
    assert caught.value.code == "USAGE"
    assert "mark candles belong to a futures pair, not ETH/BTC" in caught.value.message
    assert "ETH_BTC_BTC-1h-mark.csv" in (caught.value.hint or "")
