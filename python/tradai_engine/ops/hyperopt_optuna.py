"""hyperopt-optuna: tradai's Optuna engine, one long-lived process (plus --jobs-1 forked workers)
that adds ``epochs`` trials to a study and, for `tradai hyperopt run`, summarizes it: best
params and metrics, Pareto front, out-of-sample check, params file (docs/bridge-protocol.md).

`tradai hyperopt worker` runs the same operation with ``join``: the study must exist, and the
strategy, spaces, loss and candles it optimizes come from the study itself, so every worker on
every machine evaluates the same problem.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .. import protocol
from ..hyperopt import evaluator, objectives as objective_defs, storage as storages, summary
from ..hyperopt.study import open_study, settings
from ..hyperopt.workers import run_workers, stopped
from ..protocol import BridgeError

# The request fields that define the problem; stored in the study so workers can join it.
PROBLEM_FIELDS = ("strategy", "exchange", "pairs", "timeframe", "timerange", "stakeCurrency", "stakeAmount",
                  "startingBalance", "maxOpenTrades", "fee", "spaces", "loss", "minTrades", "objectives",
                  "freqtradeConfig", "settingSources")  # a joining worker reads the same Freqtrade config files


def run(request: dict) -> dict:
    started = time.monotonic()
    for key in ("runId", "runDir", "study", "strategyPath", "userDataDir"):
        if not request.get(key):
            raise BridgeError("USAGE", f"hyperopt request lacks {key!r}")
    name = storages.check_study_name(request["study"])
    epochs, jobs = _positive_int(request, "epochs"), _positive_int(request, "jobs", 1)
    database = bool(request.get("storage"))
    label = storages.redact(request.get("storage")) or request.get("journalFile")

    from freqtrade.system import gc_set_threshold

    gc_set_threshold()
    protocol.stage("strategy", "start")
    store = storages.open_storage(request)
    if request.get("join"):
        request = {**request, **_problem_of(store, name, label)}
    objectives = objective_defs.parse(request.get("objectives"))
    in_sample, oos_timerange = split(request)
    protocol.stage("strategy", "done", f"{request.get('strategy')} · spaces {' '.join(request.get('spaces') or ['default'])}")

    protocol.stage("data", "start")
    problem = {**request, "timerange": in_sample}
    optimizer = evaluator.open_optimizer(problem)
    space = evaluator.dimensions(optimizer)
    signature = evaluator.space_signature(space)
    want = settings(problem, optimizer, space, signature, objectives)
    want["problem"] = {key: problem.get(key) for key in PROBLEM_FIELDS}
    want["problem"]["objectives"] = objectives
    study = open_study(store, name, create=not request.get("join"), want=want, storage_label=label)
    orphans = storages.fail_orphans(study, request["runId"], database)
    if orphans:
        protocol.log("warning", f"failed {len(orphans)} trial(s) left running by a stopped run: {orphans}")
    protocol.stage("data", "done", f"{len(optimizer.pairlist)} pair(s), {optimizer.min_date:%Y-%m-%d} to {optimizer.max_date:%Y-%m-%d}")

    import logging

    logging.getLogger("freqtrade").setLevel(logging.WARNING)  # per-epoch chatter would flood stderr
    protocol.stage("trials", "start", f"{epochs} epochs, {jobs} worker(s), study {name}")
    trials_started = time.monotonic()
    problems = run_workers({**problem, "study": name}, optimizer, space, objectives, epochs, jobs)
    trials_seconds = time.monotonic() - trials_started
    if stopped():
        raise KeyboardInterrupt  # every finished trial is in the study; the unfinished were failed
    if problems:
        raise BridgeError("ENGINE", "; ".join(problems))
    protocol.stage("trials", "done")

    import optuna

    study = optuna.load_study(study_name=name, storage=store)
    ours = [t for t in study.get_trials(deepcopy=False) if t.user_attrs.get("tradai_run") == request["runId"]]
    ranked = summary.ranked(study)
    best = ranked[0] if ranked else None
    out: dict[str, Any] = {
        "study": name,
        "engine": "optuna",
        "storage": label,
        "strategy": want["strategy"],
        "strategyFile": str(optimizer.tradai["strategyFile"]),
        "spaces": want["spaces"],
        "loss": want["loss"],
        "objectives": objectives,
        "sampler": request.get("sampler") or ("nsga2" if len(objectives) > 1 else "tpe"),
        "epochs": sum(1 for t in ours if t.state.name == "COMPLETE"),
        "completedTrials": sum(1 for t in study.get_trials(deepcopy=False) if t.state.name == "COMPLETE"),
        "failedOrphans": orphans,
        "bestTrial": best.number if best else None,
        "bestLoss": best.user_attrs.get("loss") if best else None,
        "bestParams": best.user_attrs.get("params_details") if best else None,
        "bestMetrics": best.user_attrs.get("metrics") if best else None,
        "paretoFront": summary.pareto(study),
        "oos": None,
        "paramsFile": None,
        "trials": [summary.trial_row(t) for t in ours],
        "timerange": in_sample,
        "marketsSource": optimizer.tradai["markets"]["source"],
        "trialsSeconds": round(trials_seconds, 3),
        "epochsPerSecond": round(len(ours) / trials_seconds, 3) if trials_seconds > 0 else None,
        "durationSeconds": None,
    }
    finish = request.get("finish") or {}
    if best and oos_timerange:
        protocol.stage("oos", "start", oos_timerange)
        out["oos"] = summary.out_of_sample(problem, [summary.candidate(t) for t in ranked[: max(1, int(finish.get("topK") or 1))]],
                                          oos_timerange)
        protocol.stage("oos", "done")
    if best and finish.get("export"):
        out["paramsFile"] = summary.export_params(best, want["strategy"], optimizer.tradai["strategyFile"])
    out["durationSeconds"] = round(time.monotonic() - started, 3)
    return out


def _positive_int(request: dict, key: str, default: int | None = None) -> int:
    value = request.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise BridgeError("USAGE", f"{key} must be a whole number of at least 1, not {value!r}", details={"field": key})
    return value


def _problem_of(store, name: str, label: str) -> dict[str, Any]:
    import optuna

    try:
        study = optuna.load_study(study_name=name, storage=store)
    except KeyError:
        names = [s.study_name for s in optuna.get_all_study_summaries(store, include_best_trial=False)]
        raise BridgeError("NOT_FOUND", f"no study {name!r} in {label}", details={"study": name, "available": names},
                          hint="start it with `tradai hyperopt run --study NAME --storage URL`") from None
    problem = (study.user_attrs.get("tradai") or {}).get("problem")
    if not problem:
        raise BridgeError("USAGE", f"study {name!r} was not created by `tradai hyperopt run`; a worker cannot join it")
    return {**problem, "finish": None, "oosTimerange": None, "oosFraction": None}


def split(request: dict) -> tuple[str | None, str | None]:
    """(in-sample timerange, out-of-sample timerange). ``oosFraction`` holds out the last part of
    the candles (the common span of the pairs within the timerange), split to the second."""
    if request.get("oosTimerange"):
        return request.get("timerange"), str(request["oosTimerange"])
    fraction = request.get("oosFraction")
    if fraction is None:
        return request.get("timerange"), None
    if isinstance(fraction, bool) or not isinstance(fraction, (int, float)) or not 0 < fraction < 1:
        raise BridgeError("USAGE", f"oos fraction {fraction!r} must be between 0 and 1 (e.g. 0.25)")
    from freqtrade.configuration.timerange import TimeRange
    from freqtrade.data.history.datahandlers.featherdatahandler import FeatherDataHandler
    from freqtrade.enums import CandleType, TradingMode

    from .backtest import _date_span

    config, _entry, _file = evaluator.hyperopt_config(request)
    kind = CandleType.get_default(TradingMode(config["trading_mode"]))
    spans = []
    for pair in config["exchange"]["pair_whitelist"]:
        path = FeatherDataHandler._pair_data_filename(Path(config["datadir"]), pair, config["timeframe"], kind)
        span = _date_span(path) if path.is_file() else None
        if span:
            spans.append(span)
    if not spans:
        return request.get("timerange"), None  # the data check that follows names what is missing
    start, end = max(s[0] for s in spans).timestamp(), min(s[1] for s in spans).timestamp()
    wanted = TimeRange.parse_timerange(request.get("timerange"))
    if wanted.starttype:
        start = max(start, wanted.startts)
    if wanted.stoptype:
        end = min(end, wanted.stopts)
    if end <= start:
        raise BridgeError("DATA_NOT_FOUND", f"no candles within {request.get('timerange')} to split")
    cut = int(start + (end - start) * (1 - fraction))
    stamp = lambda ts: datetime.fromtimestamp(ts, UTC).strftime("%Y%m%dT%H%M%S")  # noqa: E731
    return f"{stamp(start)}-{stamp(cut)}", f"{stamp(cut)}-{stamp(end)}"
