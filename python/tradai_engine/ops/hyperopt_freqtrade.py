"""hyperopt-freqtrade: Freqtrade's own hyperopt (``Hyperopt(config).start()``, its joblib workers,
its sampler, its params export) with offline markets; one progress event per epoch; the results
read from its results file (.fthypt), never from its log text."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from .. import freqtrade_errors, protocol
from ..hyperopt import evaluator, summary
from ..protocol import BridgeError
from .hyperopt_optuna import split


def run(request: dict) -> dict:
    started = time.monotonic()
    epochs, jobs = int(request.get("epochs") or 0), int(request.get("jobs") or 1)
    if epochs < 1 or jobs < 1:
        raise BridgeError("USAGE", f"epochs and jobs must be at least 1 (got {epochs}, {jobs})")
    from filelock import FileLock, Timeout
    from freqtrade.commands.optimize_commands import setup_optimize_configuration
    from freqtrade.enums import RunMode
    from freqtrade.exceptions import OperationalException
    from freqtrade.optimize.hyperopt import Hyperopt
    from freqtrade.optimize.hyperopt_tools import HyperoptTools
    from freqtrade.system import gc_set_threshold

    from ..prepare import prepare_run

    gc_set_threshold()
    protocol.stage("strategy", "start")
    in_sample, oos_timerange = split(request)
    problem = {**request, "timerange": in_sample}
    config, entry, strategy_file = evaluator.hyperopt_config(problem)
    config["disableparamexport"] = not (request.get("finish") or {}).get("export")
    protocol.stage("strategy", "done", f"{entry.class_name} · spaces {' '.join(config['spaces'])}")

    protocol.stage("data", "start")
    # The shared preparation also refuses a pair the markets snapshot does not list (this op once lost that check).
    config_file = Path(request["runDir"]) / "config.json"
    markets = prepare_run(config, request["userDataDir"], config_file)
    ft_config = setup_optimize_configuration({"config": [str(config_file)]}, RunMode.HYPEROPT)
    protocol.stage("data", "done")

    class ReportingHyperopt(Hyperopt):
        """Freqtrade's Hyperopt, plus one progress event per evaluated epoch."""

        def evaluate_result(self, val: dict[str, Any], current: int, is_random: bool):
            super().evaluate_result(val, current, is_random)
            elapsed = time.monotonic() - trials_started
            eta = elapsed / current * (self.total_epochs - current)
            message = f"best loss {self.current_best_loss:.5g}"
            protocol.progress("trials", current, self.total_epochs,
                              message + (f" · ETA {eta:.0f}s" if current < self.total_epochs else ""))

    params_file = strategy_file.with_suffix(".json")
    params_before = params_file.stat().st_mtime_ns if params_file.is_file() else None
    protocol.stage("trials", "start", f"{epochs} epochs, {jobs} worker(s), Freqtrade hyperopt")
    trials_started = time.monotonic()
    try:
        with FileLock(Hyperopt.get_lock_filename(ft_config), timeout=1):
            hyperopt = ReportingHyperopt(ft_config)
            trials_started = time.monotonic()
            hyperopt.start()
    except Timeout:
        raise BridgeError("USAGE", f"another Freqtrade hyperopt runs in {ft_config['user_data_dir']}",
                          hint="wait for it, or use another --user-data-dir") from None
    except OperationalException as exc:
        known = freqtrade_errors.mapped(exc)  # no candles, a space without parameters: freqtrade_errors.py
        if known:
            raise known from exc
        raise
    trials_seconds = time.monotonic() - trials_started
    protocol.stage("trials", "done")

    epochs_run, _total = HyperoptTools.load_filtered_results(hyperopt.results_file, ft_config)
    valid = [e for e in epochs_run if e.get("loss") is not None]
    best = min(valid, key=lambda e: (e["loss"], e["current_epoch"])) if valid else None
    out: dict[str, Any] = {
        "study": hyperopt.results_file.stem,
        "engine": "freqtrade",
        "storage": str(hyperopt.results_file),
        "strategy": entry.class_name,
        "strategyFile": str(strategy_file),
        "spaces": config["spaces"],
        "loss": config["hyperopt_loss"],
        "objectives": ["loss"],
        "sampler": "freqtrade",
        "epochs": len(epochs_run),
        "completedTrials": len(epochs_run),
        "failedOrphans": [],
        "bestTrial": best["current_epoch"] if best else None,
        "bestLoss": best["loss"] if best else None,
        "bestParams": best["params_details"] if best else None,
        "bestMetrics": evaluator.metrics(best["results_metrics"]) if best else None,
        "paretoFront": None,
        "oos": None,
        "paramsFile": None,
        "trials": [{"number": e["current_epoch"], "state": "complete", "values": [e["loss"]], "loss": e["loss"],
                    "params": e["params_dict"], "metrics": evaluator.metrics(e["results_metrics"])} for e in epochs_run],
        "timerange": in_sample,
        "marketsSource": markets["source"],
        "resultsFile": str(hyperopt.results_file),
        "trialsSeconds": round(trials_seconds, 3),
        "epochsPerSecond": round(len(epochs_run) / trials_seconds, 3) if trials_seconds > 0 else None,
        "durationSeconds": None,
    }
    if best and oos_timerange:
        protocol.stage("oos", "start", oos_timerange)
        top = sorted(valid, key=lambda e: (e["loss"], e["current_epoch"]))[: max(1, int((request.get("finish") or {}).get("topK") or 1))]
        out["oos"] = summary.out_of_sample(problem, [{"number": e["current_epoch"], "params": e["params_dict"],
                                                      "metrics": evaluator.metrics(e["results_metrics"]), "loss": e["loss"]}
                                                     for e in top], oos_timerange)
        protocol.stage("oos", "done")
    # Freqtrade exports only when some epoch beat its initial best (loss < 100): see it happen.
    if params_file.is_file() and params_file.stat().st_mtime_ns != params_before:
        out["paramsFile"] = str(params_file)
    out["durationSeconds"] = round(time.monotonic() - started, 3)
    return out
