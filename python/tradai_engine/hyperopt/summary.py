"""After the trials: the study's best (and Pareto front), the overfitting check on held-out
candles, and the best parameters exported beside the strategy the way Freqtrade exports them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from . import evaluator


def trial_row(trial) -> dict[str, Any]:
    return {
        "number": trial.number,
        "state": trial.state.name.lower(),
        "values": list(trial.values) if trial.values else None,
        "loss": trial.user_attrs.get("loss"),
        # Optuna's stepped floats carry binary noise (0.7000000000000001); Freqtrade rounds to 13 digits too.
        "params": {k: round(v, 13) if isinstance(v, float) else v for k, v in trial.params.items()},
        "metrics": trial.user_attrs.get("metrics"),
        "run": trial.user_attrs.get("tradai_run"),
        "start": trial.datetime_start.astimezone().isoformat() if trial.datetime_start else None,
        "complete": trial.datetime_complete.astimezone().isoformat() if trial.datetime_complete else None,
        "durationSeconds": trial.duration.total_seconds() if trial.duration else None,
    }


def ranked(study) -> list:
    """Completed trials best first: by loss (one objective) or Pareto front first (several)."""
    from optuna.trial import TrialState

    complete = [t for t in study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,))]
    if len(study.directions) == 1:
        sign = 1 if study.direction.name == "MINIMIZE" else -1
        return sorted(complete, key=lambda t: (sign * t.values[0], t.number))
    front = {t.number for t in study.best_trials}
    return sorted(complete, key=lambda t: (t.number not in front, t.user_attrs.get("loss", float("inf")), t.number))


def pareto(study) -> list[dict[str, Any]] | None:
    if len(study.directions) == 1:
        return None
    objectives = study.user_attrs.get("tradai", {}).get("objectives", [])
    return [{**trial_row(t), "objectives": dict(zip(objectives, t.values, strict=False))}
            for t in sorted(study.best_trials, key=lambda t: t.number)]


def candidate(trial) -> dict[str, Any]:
    """A trial as out_of_sample takes it (Optuna trials and Freqtrade epochs alike)."""
    return {"number": trial.number, "params": dict(trial.params), "metrics": trial.user_attrs.get("metrics") or {},
            "loss": trial.user_attrs.get("loss")}


def out_of_sample(request: dict, best: list[dict[str, Any]], oos_timerange: str) -> dict[str, Any]:
    """Re-backtests the top trials on the held-out candles with the same loss; in-sample and
    out-of-sample side by side, with the drop (in-sample minus out-of-sample)."""
    optimizer = evaluator.open_optimizer(request, timerange=oos_timerange)
    rows = []
    for trial in best:
        result = evaluator.evaluate(optimizer, trial["params"])
        ins = {**trial["metrics"], "loss": trial["loss"]}
        oos = {**evaluator.metrics(result["results_metrics"]), "loss": float(result["loss"])}
        drop = {key: (ins[key] - oos[key]) for key in ("profitTotal", "sharpe", "sortino", "calmar", "winRate", "loss")
                if isinstance(ins.get(key), (int, float)) and isinstance(oos.get(key), (int, float))}
        rows.append({"trial": trial["number"], "params": trial["params"], "inSample": ins, "outOfSample": oos, "drop": drop})
    return {"timerange": oos_timerange, "inSampleTimerange": request.get("timerange"), "trials": rows}


def export_params(trial, strategy_name: str, strategy_file: Path) -> str:
    """``<strategy file stem>.json`` beside the strategy, written by Freqtrade's own exporter."""
    from freqtrade.optimize.hyperopt_tools import HyperoptTools

    target = strategy_file.with_suffix(".json")
    HyperoptTools.export_params(
        {"params_details": trial.user_attrs["params_details"],
         "params_not_optimized": trial.user_attrs.get("params_not_optimized", {})},
        strategy_name,
        target,
    )
    return str(target)
