"""`--deep`: Freqtrade's own lookahead-analysis and recursive-analysis, offline, as lint findings.

The static rules read the code; these run it. lookahead-analysis backtests the strategy on the
configured candles, then re-runs each signal's window cut just after the signal: a signal or
indicator that changes when later candles are removed used the future (TRD501).
recursive-analysis computes the indicators with different numbers of startup candles: an indicator
whose last value depends on that count needs a larger startup_candle_count (TRD502); its
indicator-only lookahead check (first candles computed with and without the rest) is TRD501 too.
A run that cannot conclude (too few signals, the strategy fails) is TRD503, never silently "clean".

Markets come from tradai's offline source (markets.install_offline_markets) and the Freqtrade
config from ft_config.build_config, exactly as for a backtest.
"""

from __future__ import annotations

import json
import logging
import tempfile
import time
from copy import deepcopy
from pathlib import Path
from typing import Any

from .. import protocol
from ..ft_config import build_config
from ..markets import install_offline_markets
from ..protocol import BridgeError
from ..strategies import find
from . import rules
from .model import Finding

logger = logging.getLogger(__name__)

# Freqtrade's own defaults for lookahead-analysis (freqtrade lookahead-analysis --help).
MINIMUM_TRADE_AMOUNT = 10
TARGETED_TRADE_AMOUNT = 20
# An indicator whose last value moves by more than this (relative) between the strategy's startup
# candle count and a longer warm-up has not settled.
RECURSIVE_TOLERANCE = 0.001


def analyse(strategies: list[dict[str, Any]], request: dict) -> list[Finding]:
    if not strategies:
        return []
    if not request.get("timerange"):
        raise BridgeError("USAGE", "--deep needs a timerange: Freqtrade's analyses backtest a fixed window",
                          hint="pass --timerange, e.g. --timerange 20180120-20180125 (a few days of candles)")
    if not request.get("userDataDir"):
        raise BridgeError("USAGE", "--deep needs userDataDir (the candles live there)")
    out: list[Finding] = []
    for index, strategy in enumerate(strategies):
        protocol.progress("lookahead", index, len(strategies), strategy["className"])
        out += _analyse_one(strategy, request)
    return out


def _analyse_one(strategy: dict[str, Any], request: dict) -> list[Finding]:
    file, name = strategy["file"], strategy["className"]

    def finding(rule, message: str, fix: str, severity: str | None = None) -> Finding:
        return Finding(rule, file, strategy["line"], 1, message, fix, name, severity)

    with tempfile.TemporaryDirectory(prefix="tradai-lint-") as tmp:
        try:
            config = _config(strategy, request, Path(tmp))
        except BridgeError as exc:
            return [finding(rules.DEEP_INCONCLUSIVE, f"--deep could not set up {name}: {exc.message}",
                            exc.hint or "fix the strategy or the data flags and run again")]
        out = []
        protocol.stage("lookahead", "start", name)
        out += _lookahead(config, strategy, finding)
        protocol.stage("lookahead", "done")
        protocol.stage("recursive", "start", name)
        out += _recursive(config, strategy, finding)
        protocol.stage("recursive", "done")
    return out


def _config(strategy: dict[str, Any], request: dict, tmp: Path) -> dict[str, Any]:
    from freqtrade.configuration import setup_utils_configuration
    from freqtrade.enums import RunMode

    entry = find(strategy["file"], strategy["className"])  # imports it: the analyses need it to load
    strategy_dir = str(Path(strategy["file"]).parent)
    base = build_config({**request, "strategy": strategy["className"], "strategyPath": strategy_dir,
                         "runDir": str(tmp), "cache": "none"}, entry.cls, Path(strategy["file"]))
    base["export"] = "none"
    config_file = tmp / "config.json"
    config_file.write_text(json.dumps(base), encoding="utf-8")
    pairs = base["exchange"]["pair_whitelist"]
    markets = install_offline_markets(base["exchange"]["name"], pairs, request["userDataDir"])
    if markets["missing"]:
        raise BridgeError("USAGE", f"{', '.join(markets['missing'])} not in the markets snapshot {markets['file']}")
    config = setup_utils_configuration(
        {"config": [str(config_file)], "strategy": strategy["className"], "strategy_path": strategy_dir,
         "timerange": base.get("timerange")},
        RunMode.UTIL_NO_EXCHANGE,
    )
    config["pairs"] = pairs
    config["minimum_trade_amount"] = MINIMUM_TRADE_AMOUNT
    config["targeted_trade_amount"] = TARGETED_TRADE_AMOUNT
    return config


def _strategy_obj(config: dict[str, Any], name: str) -> dict[str, Any]:
    from freqtrade.resolvers import StrategyResolver

    for obj in StrategyResolver.search_all_objects(config, enum_failed=False):
        if obj["name"] == name:
            return obj
    raise BridgeError("STRATEGY_NOT_FOUND", f"Freqtrade's resolver does not find {name} in {config['strategy_path']}")


def _lookahead(config: dict[str, Any], strategy: dict[str, Any], finding) -> list[Finding]:
    from freqtrade.optimize.analysis.lookahead import LookaheadAnalysis
    from freqtrade.optimize.analysis.lookahead_helpers import LookaheadAnalysisSubFunctions

    name, started = strategy["className"], time.monotonic()
    try:
        local = LookaheadAnalysisSubFunctions.calculate_config_overrides(deepcopy(config))
        analysis = LookaheadAnalysis(local, _strategy_obj(local, name))
        analysis.start(_Progress("lookahead"))
    except Exception as exc:  # noqa: BLE001 - a failing analysis is a finding, not a crash of lint
        logger.exception("lookahead-analysis of %s failed", name)
        return [finding(rules.DEEP_INCONCLUSIVE, f"Freqtrade's lookahead-analysis failed for {name}: "
                        f"{type(exc).__name__}: {exc}", "make the strategy backtest cleanly on these candles "
                        "(`tradai strategy backtest`), then run --deep again")]
    result = analysis.current_analysis
    seconds = time.monotonic() - started
    if result.has_bias:
        indicators = ", ".join(result.false_indicators) or "none"
        return [finding(rules.LOOKAHEAD_ANALYSIS, f"Freqtrade's lookahead-analysis: {result.false_entry_signals} "
                        f"entry and {result.false_exit_signals} exit signals of {result.total_signals} checked changed "
                        f"when later candles were removed; biased indicators: {indicators}",
                        "find the expression that reads later candles (the static TRD1xx findings point at the "
                        "usual ones) and make it use past candles only")]
    if analysis.failed_bias_check:
        return [finding(rules.DEEP_INCONCLUSIVE, f"Freqtrade's lookahead-analysis had fewer than {MINIMUM_TRADE_AMOUNT} "
                        f"trades to check in {config.get('timerange')} ({result.total_signals} checked): no verdict",
                        "pass a longer --timerange or more --pairs so the strategy trades more")]
    protocol.log("info", f"lookahead-analysis of {name}: no bias in {result.total_signals} signals ({seconds:.0f}s)")
    return []


def _recursive(config: dict[str, Any], strategy: dict[str, Any], finding) -> list[Finding]:
    from freqtrade.optimize.analysis.recursive import RecursiveAnalysis
    from freqtrade.optimize.analysis.recursive_helpers import RecursiveAnalysisSubFunctions

    name = strategy["className"]
    try:
        local = RecursiveAnalysisSubFunctions.calculate_config_overrides(deepcopy(config))
        scc = _startup_candle_count(local, name)
        # Freqtrade's default tries 199..1999 candles; twice the strategy's own count (which it
        # adds itself) answers "is the declared warm-up enough?" at a fraction of the time.
        local["startup_candle"] = [max(2 * scc, scc + 100)]
        analysis = RecursiveAnalysis(local, _strategy_obj(local, name))
        analysis.start(_Progress("recursive"))
    except Exception as exc:  # noqa: BLE001
        logger.exception("recursive-analysis of %s failed", name)
        return [finding(rules.DEEP_INCONCLUSIVE, f"Freqtrade's recursive-analysis failed for {name}: "
                        f"{type(exc).__name__}: {exc}", "set a startup_candle_count > 0 and make the strategy "
                        "backtest cleanly on these candles, then run --deep again")]
    out = []
    own = analysis._strat_scc
    unsettled = {indicator: diff for indicator, by_count in analysis.dict_recursive.items()
                 if (diff := by_count.get(own)) is not None and (diff != diff or abs(diff) > RECURSIVE_TOLERANCE)}
    if unsettled:
        listed = ", ".join(f"{k} ({'n/a' if v != v else f'{v:.2%}'})" for k, v in sorted(unsettled.items()))
        out.append(finding(rules.RECURSIVE_ANALYSIS, f"Freqtrade's recursive-analysis: with startup_candle_count = "
                           f"{own} these indicators differ from a longer warm-up by more than "
                           f"{RECURSIVE_TOLERANCE:.1%}: {listed}", f"raise startup_candle_count (try "
                           f"{max(2 * own, own + 100)})"))
    leaking = _indicator_lookahead(analysis)
    if leaking:
        out.append(finding(rules.LOOKAHEAD_ANALYSIS, f"Freqtrade's recursive-analysis: indicators {', '.join(leaking)} "
                           "change when later candles are removed", "make these indicators use past candles only"))
    return out


def _startup_candle_count(config: dict[str, Any], name: str) -> int:
    from freqtrade.resolvers import StrategyResolver

    return int(getattr(StrategyResolver.load_strategy(deepcopy(config)), "startup_candle_count", 0) or 0)


def _indicator_lookahead(analysis) -> list[str]:
    """RecursiveAnalysis.analyze_indicators_lookahead only logs what differs; the same comparison,
    returned: the first candles' indicators computed with and without the rest of the timerange."""
    if not analysis.partial_varHolder_lookahead_array:
        return []
    pair = analysis.pair_to_used
    part_last = analysis.partial_varHolder_lookahead_array[0].indicators[pair].iloc[-1]
    full = analysis.full_varHolder.indicators[pair]
    matching = full.loc[full["date"] == part_last["date"]]
    if matching.empty:
        return []
    compared = matching.iloc[-1].compare(part_last)
    return sorted(str(index) for index in compared.index)


class _Progress:
    """The slice of rich's Progress the analyses use, relayed as bridge progress events."""

    def __init__(self, stage: str) -> None:
        self.stage = stage
        self.tasks: dict[int, dict[str, Any]] = {}

    def add_task(self, description: str, total: float | None = None, **_kwargs) -> int:
        self.tasks[len(self.tasks)] = {"description": description, "total": total, "completed": 0}
        return len(self.tasks) - 1

    def update(self, task_id: int, advance: float | None = None, description: str | None = None, **_kwargs) -> None:
        task = self.tasks[task_id]
        task["completed"] += advance or 0
        if description:
            task["description"] = description
        total = int(task["total"]) if task["total"] else None
        protocol.progress(self.stage, int(task["completed"]), total, task["description"])
