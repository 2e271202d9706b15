"""SampleEmaCrossStrategy: follow a fast/slow EMA cross confirmed by above-average volume.

A tradai sample: trend following on 5-minute candles. The volume filter compares each candle with
the rolling mean of the previous candles only, so the backtest sees no future.
"""

from pandas import DataFrame

import talib.abstract as ta
from freqtrade.strategy import DecimalParameter, IntParameter

from tradai import StrategyMetadata, TradAIStrategy


class SampleEmaCrossStrategy(TradAIStrategy):
    INTERFACE_VERSION = 3

    strategy_metadata = StrategyMetadata(
        name="SampleEmaCrossStrategy",
        version="1.0.0",
        description="Enters when the fast EMA crosses above the slow EMA on above-average volume; "
        "exits when it crosses back below or RSI is overbought.",
        author="tradai",
        tags=["sample", "trend-following", "ema", "volume"],
        timeframe="5m",
        exchange="binance",
        trading_mode="spot",
        default_pairs=["ETH/BTC", "LTC/BTC", "XLM/BTC", "ADA/BTC", "TRX/BTC"],
    )

    minimal_roi = {"0": 0.05, "120": 0.02, "360": 0.01}
    stoploss = -0.04
    trailing_stop = True
    trailing_stop_positive = 0.01
    trailing_stop_positive_offset = 0.02
    trailing_only_offset_is_reached = True
    process_only_new_candles = True
    use_exit_signal = True
    # The slow EMA's longest candidate period, about 3x to settle.
    startup_candle_count = 200

    buy_ema_fast = IntParameter(5, 20, default=12, space="buy")
    buy_ema_slow = IntParameter(21, 60, default=48, space="buy")
    buy_volume_factor = DecimalParameter(0.8, 3.0, decimals=1, default=2.0, space="buy")

    sell_ema_fast = IntParameter(5, 20, default=12, space="sell")
    sell_ema_slow = IntParameter(21, 60, default=36, space="sell")
    sell_rsi = DecimalParameter(60.0, 90.0, decimals=1, default=78.0, space="sell")

    def populate_indicators(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        # One column per candidate period so hyperopt can pick any without recomputing.
        periods = set(self.buy_ema_fast.range) | set(self.buy_ema_slow.range)
        periods |= set(self.sell_ema_fast.range) | set(self.sell_ema_slow.range)
        for period in sorted(periods):
            dataframe[f"ema_{period}"] = ta.EMA(dataframe, timeperiod=period)
        # Average of the 30 candles before this one (shift(1) looks back, never forward).
        dataframe["volume_mean"] = dataframe["volume"].rolling(30).mean().shift(1)
        dataframe["rsi"] = ta.RSI(dataframe, timeperiod=14)
        return dataframe

    def populate_entry_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        fast = dataframe[f"ema_{self.buy_ema_fast.value}"]
        slow = dataframe[f"ema_{self.buy_ema_slow.value}"]
        crossed_up = (fast > slow) & (fast.shift(1) <= slow.shift(1))
        dataframe.loc[
            crossed_up
            & (dataframe["volume"] > dataframe["volume_mean"] * self.buy_volume_factor.value)
            & (dataframe["volume"] > 0),
            ["enter_long", "enter_tag"],
        ] = (1, "ema_cross_up")
        return dataframe

    def populate_exit_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        fast = dataframe[f"ema_{self.sell_ema_fast.value}"]
        slow = dataframe[f"ema_{self.sell_ema_slow.value}"]
        crossed_down = (fast < slow) & (fast.shift(1) >= slow.shift(1))
        dataframe.loc[
            (crossed_down | (dataframe["rsi"] > self.sell_rsi.value)) & (dataframe["volume"] > 0),
            ["exit_long", "exit_tag"],
        ] = (1, "ema_cross_down")
        return dataframe
