"""The trial loop and ``--jobs``: the parent prepares the evaluator (candles + indicators) once,
then forks jobs-1 workers that inherit it in memory; every worker asks the shared study for a
trial, runs Freqtrade's backtest + loss and tells the result (ask/tell in-process).

Each worker has its own storage connection (opened after the fork) and a fixed share of the
epochs, so the run adds exactly ``epochs`` trials. SIGTERM/SIGINT stop a worker between trials
(a running backtest is aborted through Freqtrade's own abort flag and its trial failed), so a
Ctrl-C loses no completed trial and leaves none RUNNING.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time

from .. import protocol
from . import evaluator, objectives as objective_defs, storage as storages
from .study import sampler as make_sampler

PROGRESS_STAGE = "trials"


class Shared:
    """Counters shared by the forked workers: epochs done, best loss, for progress events."""

    def __init__(self, ctx) -> None:
        self.lock = ctx.Lock()
        self.done = ctx.Value("i", 0, lock=False)
        self.best = ctx.Value("d", float("inf"), lock=False)
        self.started = time.monotonic()

    def record(self, loss: float | None, total: int) -> None:
        with self.lock:
            self.done.value += 1
            if loss is not None and loss < self.best.value:
                self.best.value = loss
            done, best = self.done.value, self.best.value
            elapsed = time.monotonic() - self.started
            eta = elapsed / done * (total - done) if done else None
            message = f"best loss {best:.5g}" if best != float("inf") else "no result yet"
            if eta is not None and done < total:
                message += f" · ETA {eta:.0f}s"
            protocol.progress(PROGRESS_STAGE, done, total, message)


def shares(epochs: int, jobs: int) -> list[int]:
    base, extra = divmod(epochs, jobs)
    return [base + (1 if i < extra else 0) for i in range(jobs)]


def run_workers(request: dict, optimizer, space: dict, objectives: list[str], epochs: int, jobs: int) -> list[str]:
    """Runs ``epochs`` trials over ``jobs`` workers; returns the errors of failed workers."""
    ctx = multiprocessing.get_context("fork")
    shared = Shared(ctx)
    errors = ctx.Queue()
    plan = [n for n in shares(epochs, jobs) if n > 0]
    children = []
    for index, quota in enumerate(plan[1:], start=1):
        child = ctx.Process(target=_child, args=(request, optimizer, space, objectives, quota, index, epochs, shared, errors))
        child.start()
        children.append(child)
    try:
        work(request, optimizer, space, objectives, plan[0] if plan else 0, 0, epochs, shared)
    finally:
        for child in children:
            child.join()
    problems = []
    while not errors.empty():
        problems.append(errors.get())
    problems += [f"worker {i + 1} exited with code {c.exitcode}" for i, c in enumerate(children)
                 if c.exitcode not in (0, None) and not problems]
    return problems


def _child(request, optimizer, space, objectives, quota, index, total, shared, errors) -> None:
    try:
        work(request, optimizer, space, objectives, quota, index, total, shared)
    except BaseException as exc:  # noqa: BLE001 - reported by the parent
        import traceback

        traceback.print_exc()
        errors.put(f"worker {index + 1}: {type(exc).__name__}: {exc}")
        os._exit(1)
    os._exit(0)


class _Stop:
    """SIGTERM / SIGINT: finish (or abort) the current trial, then stop asking for more."""

    requested = False

    def __init__(self, optimizer) -> None:
        self.optimizer = optimizer
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, self)

    def __call__(self, signum, frame) -> None:
        _Stop.requested = True
        # Freqtrade's own abort: the running backtest raises at its next check.
        self.optimizer.backtesting.abort = True


def stopped() -> bool:
    """True once this process was told to stop: the run ends without a result (exit 130)."""
    return _Stop.requested


def work(request: dict, optimizer, space: dict, objectives: list[str], quota: int, index: int, total: int,
         shared: Shared) -> None:
    import optuna
    from freqtrade.exceptions import DependencyException
    from optuna.storages._heartbeat import get_heartbeat_thread
    from optuna.trial import TrialState

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    _Stop(optimizer)  # installs the SIGTERM/SIGINT handlers
    store = storages.open_storage(request)  # after the fork: a connection of our own
    seed = request.get("seed")
    study = optuna.load_study(
        study_name=request["study"], storage=store,
        sampler=make_sampler(request.get("sampler"), None if seed is None else int(seed) + index,
                             len(objectives) > 1, int(request.get("jobs") or 1)),
    )
    min_trades = optimizer.config["hyperopt_min_trades"]
    for _ in range(quota):
        if _Stop.requested:
            break
        trial = study.ask(space)
        trial.set_user_attr("tradai_run", request["runId"])
        try:
            with get_heartbeat_thread(trial._trial_id, store):
                result = evaluator.evaluate(optimizer, trial.params)
        except DependencyException:
            if not _Stop.requested:
                raise
            study.tell(trial, state=TrialState.FAIL)
            break
        except BaseException:
            study.tell(trial, state=TrialState.FAIL)
            raise
        values = objective_defs.values(objectives, result, min_trades)
        loss = float(result["loss"])
        trial.set_user_attr("loss", loss)
        trial.set_user_attr("metrics", evaluator.metrics(result["results_metrics"]))
        trial.set_user_attr("params_details", result["params_details"])
        trial.set_user_attr("params_not_optimized", result["params_not_optimized"])
        study.tell(trial, values)
        shared.record(loss, total)
