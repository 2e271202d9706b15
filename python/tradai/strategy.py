"""TradAIStrategy: a Freqtrade IStrategy that carries validated StrategyMetadata."""

from __future__ import annotations

from freqtrade.strategy import IStrategy

from .metadata import StrategyMetadata, StrategyMetadataError


class TradAIStrategy(IStrategy):
    """Base class for tradai strategies. Subclasses must set ``strategy_metadata``.

    Everything else is plain Freqtrade: INTERFACE_VERSION 3, populate_indicators,
    populate_entry_trend, populate_exit_trend, hyperoptable parameters.
    """

    strategy_metadata: StrategyMetadata

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if not any(not name.startswith("__") for name in vars(cls)):
            # An empty class body: cloudpickle rebuilding the class in a Freqtrade hyperopt worker
            # (skeleton first, attributes right after). It was validated where it was defined.
            return
        # Runs when the class statement executes, i.e. when Freqtrade (or tradai) imports the
        # strategy file: a broken strategy fails at load time with the class and field named.
        metadata = getattr(cls, "strategy_metadata", None)
        if metadata is None:
            raise StrategyMetadataError(
                cls.__name__, None, "missing: set strategy_metadata = StrategyMetadata(name=..., version=..., ...)"
            )
        if not isinstance(metadata, StrategyMetadata):
            raise StrategyMetadataError(
                cls.__name__, None, f"must be a StrategyMetadata(...), not {type(metadata).__name__}"
            )
        metadata.validate(cls.__name__)
        timeframe = getattr(cls, "timeframe", None)
        if timeframe is None:
            cls.timeframe = metadata.timeframe
        elif timeframe != metadata.timeframe:
            raise StrategyMetadataError(
                cls.__name__,
                "timeframe",
                f"{metadata.timeframe!r} disagrees with the class attribute timeframe = {timeframe!r}; "
                "make them equal or drop the class attribute (it is set from the metadata)",
            )
