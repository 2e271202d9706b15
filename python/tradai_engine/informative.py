"""The candles a strategy needs beyond its main pairs, checked before a backtest or hyperopt runs.

Freqtrade loads informative data lazily (dp.get_pair_dataframe inside populate_indicators); when a
pair/timeframe has no candles it logs "No history for ..." and hands the strategy an empty frame,
so a backtest runs "fine" with 0 trades. tradai asks the strategy what it needs up front, through
Freqtrade's own ``IStrategy.gather_informative_pairs()`` (informative_pairs() and @informative
decorators), and checks every (pair, timeframe) has candles over the timerange, plus the startup
candles of the main timeframe.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from . import protocol
from .pairs import timeframe_seconds
from .protocol import BridgeError


class _Whitelist:
    """What gather_informative_pairs() reads from the DataProvider, without an exchange."""

    def __init__(self, pairs: list[str]):
        self._pairs = list(pairs)

    def current_whitelist(self) -> list[str]:
        return list(self._pairs)

    def market(self, pair: str) -> dict[str, Any]:
        base, _, rest = pair.partition("/")
        quote, _, settle = rest.partition(":")
        return {"symbol": pair, "base": base, "quote": quote, "settle": settle or None}


def needed(config: dict[str, Any], strategy_cls: type) -> list[tuple[str, str, str]]:
    """(pair, timeframe, candle type) of every informative series the strategy asks for. A strategy
    whose informative_pairs() needs more than a whitelist (a live exchange, ...) is not checked
    here: Freqtrade's own "No history" warning still reaches the user."""
    from freqtrade.enums import CandleType, RunMode, TradingMode

    own = {**config, "candle_type_def": CandleType.get_default(TradingMode(config["trading_mode"])),
           "runmode": RunMode.BACKTEST}
    try:
        strategy = strategy_cls(own)
        strategy.dp = _Whitelist(config["exchange"]["pair_whitelist"])
        found = strategy.gather_informative_pairs()
    except Exception as exc:  # noqa: BLE001 - the strategy's own code: never fail the run over this check
        protocol.log("debug", f"informative pairs not checked: {type(exc).__name__}: {exc}")
        return []
    return sorted({(p, tf, str(getattr(ct, "value", ct))) for p, tf, ct in found})


def check(config: dict[str, Any], strategy_cls: type, allow_missing: bool) -> list[str]:
    """DATA_NOT_FOUND (exit 5) naming each missing pair and timeframe with how to get it; with
    ``allow_missing`` the same as warnings (returned and sent as log events). Startup candles
    missing before the timerange are always a warning: Freqtrade moves the start instead."""
    from .ops.backtest import _date_span, _iso

    datadir = Path(config["datadir"])
    start, stop = _span(config.get("timerange"))
    warnings: list[str] = []
    startup = int(getattr(strategy_cls, "startup_candle_count", 0) or 0)
    if start is not None and startup > 0:
        want = start - timedelta(seconds=startup * timeframe_seconds(config["timeframe"]))
        for pair in config["exchange"]["pair_whitelist"]:
            dates = _dates(datadir, pair, config["timeframe"], config.get("candle_type_def"), _date_span)
            if dates and dates[0] > want:
                warnings.append(f"{pair} {config['timeframe']}: candles start {_iso(dates[0])}, but "
                                f"startup_candle_count = {startup} needs them from {_iso(want)}; Freqtrade "
                                "starts the backtest later by the difference")
    missing = []
    for pair, timeframe, candle_type in needed(config, strategy_cls):
        dates = _dates(datadir, pair, timeframe, candle_type, _date_span)
        if dates is None:
            missing.append({"pair": pair, "timeframe": timeframe, "candleType": candle_type,
                            "reason": f"no {timeframe} candles for {pair}"})
        elif (stop and dates[0] >= stop) or (start and dates[1] < start):
            missing.append({"pair": pair, "timeframe": timeframe, "candleType": candle_type,
                            "reason": f"{pair} {timeframe} candles cover {_iso(dates[0])} to {_iso(dates[1])}, "
                                      f"outside {config.get('timerange')}"})
    if missing:
        how = _download_hint(config, missing)
        if not allow_missing:
            listed = "; ".join(m["reason"] for m in missing)
            raise BridgeError("DATA_NOT_FOUND", f"the strategy's informative data is missing: {listed} (in {datadir})",
                              hint=f"{how}; or pass --allow-missing-informative to run without it (the strategy "
                                   "then gets empty frames for those pairs)",
                              details={"missing": missing, "datadir": str(datadir)})
        warnings += [f"informative data missing: {m['reason']} ({how})" for m in missing]
    for warning in warnings:
        protocol.log("warning", warning)
    return warnings


def _download_hint(config: dict[str, Any], missing: list[dict[str, str]]) -> str:
    pairs = " ".join(sorted({m["pair"] for m in missing}))
    timeframes = " ".join(sorted({m["timeframe"] for m in missing}, key=timeframe_seconds))
    timerange = f" --timerange {config['timerange']}" if config.get("timerange") else ""
    return (f"get them with `tradai data download --pairs {pairs} --timeframes {timeframes}{timerange} "
            f"--exchange {config['exchange']['name']}` (or `tradai data import <file>`)")


def _dates(datadir: Path, pair: str, timeframe: str, candle_type, date_span):
    from freqtrade.data.history.datahandlers.featherdatahandler import FeatherDataHandler
    from freqtrade.enums import CandleType

    kind = CandleType.from_string(str(getattr(candle_type, "value", candle_type) or "spot"))
    path = FeatherDataHandler._pair_data_filename(datadir, pair, timeframe, kind)
    return date_span(path) if path.is_file() else None


def _span(timerange: str | None):
    from freqtrade.configuration.timerange import TimeRange

    span = TimeRange.parse_timerange(timerange)
    return (span.startdt if span.starttype else None), (span.stopdt if span.stoptype else None)
