"""What a trial is scored on. One objective: the Freqtrade loss (minimised), as Freqtrade scores
it. Several (``--objectives profit drawdown``): each a number from Freqtrade's stats, optimised
together by a multi-objective sampler (NSGA-II) into a Pareto front."""

from __future__ import annotations

from typing import Any

from ..protocol import BridgeError

# name -> (Freqtrade stats key, or "loss" for the loss class's value; direction)
OBJECTIVES: dict[str, tuple[str, str]] = {
    "loss": ("loss", "minimize"),
    "profit": ("profit_total", "maximize"),
    "drawdown": ("max_drawdown_account", "minimize"),
    "trades": ("total_trades", "maximize"),
    "sharpe": ("sharpe", "maximize"),
    "sortino": ("sortino", "maximize"),
    "calmar": ("calmar", "maximize"),
    "winrate": ("winrate", "maximize"),
    "expectancy": ("expectancy", "maximize"),
}


def parse(objectives: list[str] | None) -> list[str]:
    chosen = list(objectives or ["loss"])
    unknown = [o for o in chosen if o not in OBJECTIVES]
    if unknown:
        raise BridgeError("USAGE", f"unknown objective {', '.join(unknown)}; known: {', '.join(OBJECTIVES)}",
                          details={"objectives": unknown})
    if len(set(chosen)) != len(chosen):
        raise BridgeError("USAGE", f"objectives repeat: {' '.join(chosen)}")
    return chosen


def directions(objectives: list[str]) -> list[str]:
    return [OBJECTIVES[o][1] for o in objectives]


def values(objectives: list[str], result: dict[str, Any], min_trades: int) -> list[float]:
    """The trial's values. Under --min-trades Freqtrade gives the loss MAX_LOSS (result["loss"]
    already is); the other objectives get the matching worst value so the trial is cast away."""
    from freqtrade.optimize.hyperopt.hyperopt_optimizer import MAX_LOSS

    stats = result["results_metrics"]
    too_few = stats.get("total_trades", 0) < min_trades
    out = []
    for name in objectives:
        key, direction = OBJECTIVES[name]
        if key == "loss":
            out.append(float(result["loss"]))
            continue
        value = stats.get(key)
        if too_few or value is None or value != value or value in (float("inf"), float("-inf")):
            value = MAX_LOSS if direction == "minimize" else -MAX_LOSS
        out.append(float(value))
    return out
