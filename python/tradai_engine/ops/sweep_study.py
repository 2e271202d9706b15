"""sweep-study: a sweep shared through an Optuna study (`strategy sweep --storage/--study`,
`hyperopt worker` on a sweep's study). The study and why no point runs twice:
hyperopt/grid_study.py.

Every point this process takes is run by ``backtest.run`` exactly as ``backtest-batch`` runs it
(Freqtrade imported once, candles memoized, indicators recomputed per point), so its numbers are
those of a plain ``tradai strategy backtest --param``. The point's Freqtrade stats (the scalar
fields of the stats file, as read from it) are stored as the trial's user attrs, and the sweep's
result is read from the study once every point is done, whichever process ran it.

Request: ``{"runId", "runDir", "study", "storage" | "journalFile", "join", "base": <backtest
request without runDir/params>, "grid": [{"name", "values"}], "points": [{"runDir", "params"}],
"sortBy", "jobs", "candles"?}``; ``candles``: tradai's record of an ArcticDB read (absent: the
user's candle files), kept with the study with the data fields; ``points`` in the grid's
cartesian order (core's), each point's runDir local.
``join``: the study must exist (a worker). ``jobs`` > 1 forks that many workers after the import.
Result: every point (index, params, stats, where it ran) and this process's own backtest results.
"""

from __future__ import annotations

import itertools
import json
import multiprocessing
import os
import queue
import signal
import time
from pathlib import Path
from typing import Any

from .. import protocol
from ..hyperopt import grid_study, storage as storages
from ..protocol import BridgeError
from . import backtest_batch

STAGE = "points"
# The request fields that define the sweep: a worker must bring the same ones (stored in the study).
PROBLEM_FIELDS = ("strategy", "exchange", "pairs", "timeframe", "timerange", "stakeCurrency", "stakeAmount",
                  "startingBalance", "maxOpenTrades", "fee", "freqtradeConfig")
POLL_SECONDS = 1.0
CANDLE_FIELDS = ("exchange", "pairs", "timeframe", "timerange")


def run(request: dict) -> dict:
    for field in ("runId", "runDir", "study", "base", "grid", "points"):
        if not request.get(field):
            raise BridgeError("USAGE", f"sweep-study request lacks {field!r}")
    name = storages.check_study_name(request["study"])
    jobs = int(request.get("jobs") or 1)
    base, grid = request["base"], request["grid"]
    requests = [backtest_batch._point_request(base, point, index) for index, point in enumerate(request["points"])]
    index_of = {grid_study.key(point["params"]): index for index, point in enumerate(requests)}
    _check_points(grid, index_of)
    database = bool(request.get("storage"))
    label = storages.redact(request.get("storage")) or request.get("journalFile")

    with backtest_batch.warm_start():
        import freqtrade.optimize.backtesting  # noqa: F401 - the warm import every worker inherits

        protocol.stage("strategy", "start")
        entry = backtest_batch.check_points(base, requests)
        protocol.stage("strategy", "done", f"{entry.class_name}: {len(requests)} point(s) checked")

    protocol.stage("study", "start")
    store = grid_study.open_storage(request)
    want = {"engine": grid_study.KIND, "strategy": base["strategy"], "grid": grid, "candles": _candles(request),
            "problem": {field: base.get(field) for field in PROBLEM_FIELDS}, "sortBy": request.get("sortBy"),
            "settingSources": base.get("settingSources")}  # not compared: where a value came from, not what it is
    study = grid_study.open_sweep(store, name, create=not request.get("join"), want=want, label=label)
    orphans = grid_study.fail_orphans(study, request["runId"], database)
    if orphans:
        protocol.log("warning", f"queued again {len(orphans)} point(s) left running by a stopped run: trials {orphans}")
    already = len(grid_study.status(study, grid)["done"])
    protocol.stage("study", "done", f"study {name} in {label}: {already} of {len(requests)} point(s) done")

    protocol.stage("backtest", "start")
    ran: dict[int, dict] = {}
    shared = {**request, "study": name}
    with _stoppable():
        if jobs > 1:
            if database:
                store.engine.dispose()  # no pooled connection crosses the fork; each worker opens its own
            ran.update(_run_forked(shared, requests, index_of, grid, jobs, study))
        # The last worker is this process: it takes what is still queued (points queued again after
        # a worker stopped) and waits for the points other processes run.
        report = _progress(study, grid)
        ran.update(_work(shared, requests, index_of, grid, study, wait=True, report=report))
        report(force=True)
    state = grid_study.status(study, grid)
    if state["errors"]:
        point, message = next(iter(state["errors"].items()))
        raise BridgeError("ENGINE", f"point {point} failed: {message}",
                          hint="fix the cause and start a new sweep (another --study): a failed point is not retried",
                          details={"failed": list(state["errors"])})
    protocol.stage("backtest", "done", f"{len(ran)} backtest(s) here, {len(requests) - len(ran)} elsewhere")

    points = []
    for point_key, trial in sorted(state["done"].items(), key=lambda item: index_of[item[0]]):
        points.append({"index": index_of[point_key], "params": requests[index_of[point_key]]["params"],
                       "trial": trial.number, "stats": trial.user_attrs["stats"], "point": trial.user_attrs["point"],
                       "run": trial.user_attrs.get("tradai_run"), "host": trial.user_attrs.get("host")})
    return {"study": name, "storage": label, "points": points,
            "ran": [{"index": index, "result": result} for index, result in sorted(ran.items())],
            "orphans": orphans}


def _candles(request: dict) -> dict[str, Any]:
    """What the points run on, as the study records it: the source (tradai's record of an ArcticDB
    read: library and symbol versions; else the user's files) and the data fields (null: the
    strategy's default)."""
    base = request["base"]
    source = request.get("candles") or {"source": "files"}
    return {**source, **{field: base.get(field) for field in CANDLE_FIELDS}}


def _check_points(grid: list[dict], index_of: dict[str, int]) -> None:
    """The request's points are exactly the grid's cartesian product (each once)."""
    names = [axis["name"] for axis in grid]
    product = {grid_study.key(dict(zip(names, values, strict=True))) for values in itertools.product(*(a["values"] for a in grid))}
    if set(index_of) != product or len(index_of) != len(product):
        raise BridgeError("USAGE", "sweep-study points are not the grid's cartesian product")


def _progress(study, grid):
    """Progress events (points done in the study, wherever they ran), reading the study at most
    once a POLL_SECONDS: a read lists every trial."""
    last = {"done": -1, "at": 0.0}

    def report(force: bool = False) -> None:
        if not force and time.monotonic() - last["at"] < POLL_SECONDS:
            return
        state = grid_study.status(study, grid)
        last["at"] = time.monotonic()
        if len(state["done"]) != last["done"]:
            last["done"] = len(state["done"])
            protocol.progress(STAGE, last["done"], state["total"])

    return report


def _work(request: dict, requests: list[dict], index_of: dict[str, int], grid: list[dict], study, wait: bool,
          report=None, deliver=None) -> dict[int, dict]:
    """Take queued points and backtest them until none is queued; with ``wait``, until every
    point is done (or failed) anywhere. Returns this worker's results by point index."""
    import optuna
    from optuna.storages._heartbeat import get_heartbeat_thread

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    ran: dict[int, dict] = {}
    database = bool(request.get("storage"))
    with backtest_batch.cached_candles(), backtest_batch.quiet_freqtrade():
        while True:
            trial = grid_study.claim(study, grid, request["runId"])
            if trial is None:
                if not wait:
                    return ran
                state = grid_study.status(study, grid)
                if len(state["done"]) == state["total"] or (state["pending"] == 0 and state["errors"]):
                    return ran
                if database:
                    optuna.storages.fail_stale_trials(study)  # a dead worker's point is queued again
                time.sleep(POLL_SECONDS)
                if report:
                    report()
                continue
            index = index_of[grid_study.key(trial.params)]
            try:
                with get_heartbeat_thread(trial._trial_id, study._storage):
                    result = backtest_batch._backtest(requests[index])
            except BridgeError as exc:
                grid_study.fail(study, trial, requeue=False, error=exc.message)
                exc.details = {**exc.details, "point": index, "params": requests[index]["params"]}
                raise
            except Exception as exc:
                grid_study.fail(study, trial, requeue=False, error=f"{type(exc).__name__}: {exc}")
                raise
            except BaseException:
                grid_study.fail(study, trial, requeue=True)  # stopped, not failed: the point runs again
                raise
            stats = _scalar_stats(Path(result["statsFile"]), result["strategy"]["className"])
            trial.set_user_attr("stats", stats)
            trial.set_user_attr("metrics", _trial_metrics(stats))
            trial.set_user_attr("point", {"runDir": result["runDir"], "strategy": {k: result["strategy"][k] for k in ("name", "className")},
                                          **{k: result[k] for k in ("exchange", "timeframe", "timerange", "pairs", "stakeCurrency", "engine")}})
            grid_study.tell(study, trial, float(stats["profit_total"]))
            ran[index] = result
            if deliver:
                deliver(index, result)
            if report:
                report()


def _scalar_stats(stats_file: Path, class_name: str) -> dict[str, Any]:
    """The strategy's stats as the stats file holds them (what `strategy backtest` reads), without
    its lists and tables: the numbers the sweep reports, stored with the trial."""
    stats = json.loads(stats_file.read_text(encoding="utf-8"))["strategy"][class_name]
    return {k: v for k, v in stats.items() if v is None or isinstance(v, (bool, int, float, str))}


def _trial_metrics(stats: dict[str, Any]) -> dict[str, Any]:
    from ..hyperopt.evaluator import metrics

    return metrics(stats)  # the headline numbers `hyperopt show` lists for a trial


def _run_forked(request: dict, requests: list[dict], index_of: dict[str, int], grid: list[dict], jobs: int,
                study) -> dict[int, dict]:
    ctx = multiprocessing.get_context("fork")
    done = ctx.Queue()
    workers = [ctx.Process(target=_worker, args=(request, requests, index_of, grid, done)) for _ in range(jobs)]
    for worker in workers:
        worker.start()
    ran: dict[int, dict] = {}
    report = _progress(study, grid)
    try:
        while True:
            try:
                index, ok, payload = done.get(timeout=POLL_SECONDS)
            except queue.Empty:
                report()
                if not any(worker.is_alive() for worker in workers) and done.empty():
                    break
                continue
            if not ok:
                raise BridgeError.from_payload(payload)
            ran[index] = payload
            report()
    finally:
        for worker in workers:
            if worker.is_alive():
                worker.terminate()  # SIGTERM: the worker fails its point and queues it again
            worker.join()
    return ran


def _worker(request: dict, requests: list[dict], index_of: dict[str, int], grid: list[dict], done) -> None:
    import optuna

    code = 0
    try:
        store = grid_study.open_storage(request)  # after the fork: a connection of our own
        study = optuna.load_study(study_name=request["study"], storage=store, sampler=grid_study.sampler(grid))
        _work(request, requests, index_of, grid, study, wait=False, deliver=lambda index, result: done.put((index, True, result)))
    except KeyboardInterrupt:
        code = 130
    except Exception as exc:  # noqa: BLE001 - reported by the parent (an engine error unless a BridgeError)
        done.put((-1, False, BridgeError.payload_of(exc)))
        code = 1
    finally:
        done.close()
        done.join_thread()
        os._exit(code)


class _stoppable:
    """SIGTERM as Ctrl-C (KeyboardInterrupt), so a stopped worker fails its running point and
    queues it again instead of leaving it RUNNING (forked workers inherit the handler)."""

    def __enter__(self):
        self.previous = signal.signal(signal.SIGTERM, _interrupt)
        return self

    def __exit__(self, *exc) -> None:
        signal.signal(signal.SIGTERM, self.previous)


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt
