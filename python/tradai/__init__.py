"""tradai's public API for strategy authors.

    from tradai import TradAIStrategy, StrategyMetadata

    class MyStrategy(TradAIStrategy):
        strategy_metadata = StrategyMetadata(
            name="MyStrategy", version="1.0.0", description="...", author="me",
            tags=["trend"], timeframe="5m", exchange="binance", trading_mode="spot",
            default_pairs=["ETH/BTC"],
        )

A TradAIStrategy is a Freqtrade IStrategy whose metadata is checked when the class is created,
so a mistake is reported where the strategy is loaded instead of deep inside a backtest.
"""

from .metadata import StrategyMetadata, StrategyMetadataError
from .strategy import TradAIStrategy

__all__ = ["StrategyMetadata", "StrategyMetadataError", "TradAIStrategy"]
