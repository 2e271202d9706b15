"""SampleRsiStrategy: buy oversold dips (RSI + lower Bollinger band) while the longer trend is up.

A tradai sample: mean reversion inside an uptrend on 5-minute candles. Every indicator reads only
the current and past candles (rolling windows, no negative shift), so backtests see no future.
"""

from pandas import DataFrame

import talib.abstract as ta
from freqtrade.strategy import DecimalParameter, IntParameter

from tradai import StrategyMetadata, TradAIStrategy


class SampleRsiStrategy(TradAIStrategy):
    INTERFACE_VERSION = 3

    strategy_metadata = StrategyMetadata(
        name="SampleRsiStrategy",
        version="1.0.0",
        description="Buys RSI dips at the lower Bollinger band while price is above a slow EMA; "
        "exits on RSI strength or at the middle band.",
        author="tradai",
        tags=["sample", "mean-reversion", "rsi", "bollinger"],
        timeframe="5m",
        exchange="binance",
        trading_mode="spot",
        default_pairs=["ETH/BTC", "LTC/BTC", "XLM/BTC", "XMR/BTC", "DASH/BTC"],
    )

    minimal_roi = {"0": 0.03, "60": 0.015, "180": 0.005}
    stoploss = -0.05
    trailing_stop = False
    process_only_new_candles = True
    use_exit_signal = True
    exit_profit_only = False
    # The slowest indicator (trend EMA) needs about 3x its period to settle.
    startup_candle_count = 300

    buy_rsi = IntParameter(15, 45, default=30, space="buy")
    buy_bb_offset = DecimalParameter(0.97, 1.01, decimals=3, default=1.0, space="buy")
    buy_trend_ema = IntParameter(50, 100, default=100, space="buy")
    # How far below the trend EMA a dip may reach and still count as "in an uptrend".
    buy_trend_tolerance = DecimalParameter(0.95, 1.0, decimals=3, default=0.97, space="buy")

    sell_rsi = IntParameter(55, 85, default=68, space="sell")
    sell_bb_exit = DecimalParameter(0.0, 1.0, decimals=2, default=0.5, space="sell")

    def populate_indicators(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe["rsi"] = ta.RSI(dataframe, timeperiod=14)
        bands = ta.BBANDS(dataframe, timeperiod=20, nbdevup=2.0, nbdevdn=2.0)
        dataframe["bb_lower"] = bands["lowerband"]
        dataframe["bb_middle"] = bands["middleband"]
        dataframe["bb_upper"] = bands["upperband"]
        # One column per candidate period so hyperopt can pick any without recomputing.
        for period in self.buy_trend_ema.range:
            dataframe[f"ema_{period}"] = ta.EMA(dataframe, timeperiod=period)
        return dataframe

    def populate_entry_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        dataframe.loc[
            (dataframe["rsi"] < self.buy_rsi.value)
            & (dataframe["close"] < dataframe["bb_lower"] * self.buy_bb_offset.value)
            & (dataframe["close"] > dataframe[f"ema_{self.buy_trend_ema.value}"] * self.buy_trend_tolerance.value)
            & (dataframe["volume"] > 0),
            ["enter_long", "enter_tag"],
        ] = (1, "rsi_dip")
        return dataframe

    def populate_exit_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:
        # sell_bb_exit picks the exit level between the lower (0) and upper (1) band.
        band_level = dataframe["bb_lower"] + (dataframe["bb_upper"] - dataframe["bb_lower"]) * self.sell_bb_exit.value
        dataframe.loc[
            ((dataframe["rsi"] > self.sell_rsi.value) | (dataframe["close"] > band_level))
            & (dataframe["volume"] > 0),
            ["exit_long", "exit_tag"],
        ] = (1, "rsi_strength")
        return dataframe
