"""backtest-batch: many backtests in warm processes (sweeps, walk-forward).

Every point is run by ``backtest.run`` itself, exactly as the ``backtest`` op runs one (config,
params check, data check, Freqtrade's Backtesting with a new strategy instance, export into the
point's runDir), so a point's result is the result a fresh ``tradai strategy backtest`` gives.
What the batch saves is the process start and the Freqtrade import (paid once per job) and the
candle loading: ``history.load_data`` is memoized on all of its arguments and hands every
backtest its own copy of the frames. Indicators are never shared: Freqtrade recomputes them for
each point (``advise_all_indicators`` on a new strategy instance carrying that point's values),
so a strategy that reads ``.value`` in ``populate_indicators`` is backtested faithfully.

Request: ``{"base": <backtest request without runDir/params>, "points": [{"runDir", "params",
"timerange"?}], "jobs": N}``. ``jobs`` > 1 forks that many workers (after the import) that take
points from a shared queue. Result: ``{"points": [<backtest result>...]}`` in request order.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
from contextlib import contextmanager
from copy import deepcopy
from typing import Any

from .. import protocol
from ..protocol import BridgeError
from . import backtest

STAGE = "points"


def run(request: dict) -> dict:
    base = request.get("base")
    points = request.get("points")
    if not isinstance(base, dict) or not isinstance(points, list) or not points:
        raise BridgeError("USAGE", "backtest-batch needs a base request and a non-empty list of points")
    jobs = int(request.get("jobs") or 1)
    if jobs < 1:
        raise BridgeError("USAGE", f"jobs must be at least 1, not {jobs}")
    requests = [_point_request(base, point, index) for index, point in enumerate(points)]

    with warm_start():
        import freqtrade.optimize.backtesting  # noqa: F401 - the warm import every worker inherits

        protocol.stage("strategy", "start")
        entry = check_points(base, requests)
        protocol.stage("strategy", "done", f"{entry.class_name}: {len(requests)} point(s) checked")

    protocol.stage("backtest", "start")
    jobs = min(jobs, len(requests))
    results = _run_inline(requests) if jobs == 1 else _run_forked(requests, jobs)
    protocol.stage("backtest", "done", f"{len(results)} backtest(s)")
    return {"points": results}


@contextmanager
def warm_start():
    """The Freqtrade import and the strategy check with Python's cyclic collector paused, then all
    they made frozen (``gc.freeze``). Why: with the default thresholds the import runs ~870
    collections, ~0.6 s of its ~3.5 s CPU, all of it before the fork (serial for every --jobs);
    the modules it loads live as long as the process, so there is nothing to collect. Frozen
    objects are skipped by later collections: a worker's full collection does not walk (nor
    write the headers of, copying the page) the ~340k objects it inherits. Python's docs
    (gc.freeze) recommend this for forked workers. Each point then runs with the thresholds
    Freqtrade sets itself (``gc_set_threshold``), as a separate backtest does."""
    import gc

    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


def check_points(base: dict, requests: list[dict]):
    """The strategy (a StrategyEntry), every point's params checked against it before any backtest runs."""
    entry = backtest.find_strategy(base["strategy"], base["strategyPath"])
    for index, point in enumerate(requests):
        try:
            backtest.resolve_params(entry.cls, point.get("params") or {})
        except BridgeError as exc:
            exc.details = {**exc.details, "point": index, "params": point.get("params")}
            raise
    return entry


def _point_request(base: dict, point: Any, index: int) -> dict:
    if not isinstance(point, dict) or not point.get("runDir"):
        raise BridgeError("USAGE", f"point {index} needs a runDir")
    merged = {**base, "runDir": point["runDir"], "params": point.get("params") or {}}
    if point.get("timerange") is not None:
        merged["timerange"] = point["timerange"]
    return merged


def _run_inline(requests: list[dict]) -> list[dict]:
    results = []
    with cached_candles(), quiet_freqtrade():
        for index, point in enumerate(requests):
            results.append(_backtest(point))
            protocol.progress(STAGE, index + 1, len(requests))
    return results


def _run_forked(requests: list[dict], jobs: int) -> list[dict]:
    ctx = multiprocessing.get_context("fork")
    todo = ctx.Queue()
    done = ctx.Queue()
    for index in range(len(requests)):
        todo.put(index)
    for _ in range(jobs):
        todo.put(None)
    workers = [ctx.Process(target=_worker, args=(requests, todo, done)) for _ in range(jobs)]
    for worker in workers:
        worker.start()
    results: list[dict | None] = [None] * len(requests)
    finished = 0
    try:
        while finished < len(requests):
            try:
                index, ok, payload = done.get(timeout=1.0)
            except queue.Empty:
                if not any(worker.is_alive() for worker in workers):
                    codes = [worker.exitcode for worker in workers]
                    raise BridgeError("ENGINE", f"backtest workers exited (codes {codes}) before all points ran") from None
                continue
            if not ok:
                raise BridgeError.from_payload(payload, point=index)
            results[index] = payload
            finished += 1
            protocol.progress(STAGE, finished, len(requests))
    finally:
        for worker in workers:
            if worker.is_alive() and finished < len(requests):
                worker.terminate()
            worker.join()
    return [result for result in results if result is not None]


def _worker(requests: list[dict], todo, done) -> None:
    code = 0
    try:
        with cached_candles(), quiet_freqtrade():
            for index in iter(todo.get, None):
                try:
                    done.put((index, True, _backtest(requests[index])))
                except Exception as exc:  # noqa: BLE001 - reported by the parent (an engine error unless a BridgeError)
                    done.put((index, False, BridgeError.payload_of(exc)))
                    code = 1
                    break
    finally:
        done.close()
        done.join_thread()
        os._exit(code)


def _backtest(point: dict) -> dict:
    with protocol.muted():
        return backtest.run(point)


@contextmanager
def quiet_freqtrade():
    """What a point of a batch does not need from `freqtrade backtesting`: its text report (the
    result tables it prints, ~15 % of a small point, which nobody reads: a point's numbers come
    from its export) and its INFO chatter through its rich log handler (WARNING and above still
    reach the point's warnings). The backtest and its export are untouched."""
    import logging

    from freqtrade.optimize import backtesting

    shown = backtesting.show_backtest_results
    backtesting.show_backtest_results = lambda *args, **kwargs: None
    # Global, because every point's Freqtrade setup_logging sets its loggers back to INFO.
    logging.disable(logging.INFO)
    try:
        yield
    finally:
        backtesting.show_backtest_results = shown
        logging.disable(logging.NOTSET)


@contextmanager
def cached_candles():
    """Memoizes ``freqtrade.data.history.load_data`` (what Backtesting loads candles with) on all
    of its arguments; each call gets deep copies, so no backtest sees another's frames."""
    from freqtrade.data import history

    original = history.load_data
    cache: dict[str, dict] = {}

    def load_data(*args: Any, **kwargs: Any) -> dict:
        key = repr((args, sorted((name, _keyable(value)) for name, value in kwargs.items())))
        if key not in cache:
            cache[key] = original(*args, **kwargs)
        return {pair: frame.copy(deep=True) for pair, frame in cache[key].items()}

    history.load_data = load_data
    try:
        yield
    finally:
        history.load_data = original


def _keyable(value: Any) -> Any:
    # TimeRange has no useful repr; its four fields say everything.
    if all(hasattr(value, name) for name in ("starttype", "stoptype", "startts", "stopts")):
        return ("TimeRange", value.starttype, value.stoptype, value.startts, value.stopts)
    if isinstance(value, list):
        return tuple(deepcopy(value))
    return value
