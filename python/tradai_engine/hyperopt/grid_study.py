"""A sweep as an Optuna study: ``GridSampler`` over the grid, one trial per grid point, so
processes on many machines (`tradai strategy sweep --storage`, `tradai hyperopt worker`) share
one sweep through the study's storage.

No point runs twice. GridSampler alone does not promise that: with parallel workers "different
workers will occasionally suggest the same parameter configuration" (its docstring, optuna
samplers/_grid.py), and it counts a FAIL as visited, so an interrupted point would never run
again. So the study's creator puts every grid point in Optuna's trial queue once, as a WAITING
trial numbered by its GridSampler grid id (trial k = grid k, GridSampler's own convention; the
sampler fills in the values when the trial is asked). Workers only take queued trials, and
taking one is Optuna's atomic claim (``set_trial_state_values(RUNNING)`` succeeds for exactly one
process: ``Study._pop_waiting_trial_id``). When two workers race for the last queued point, the
loser's ``ask`` creates a new trial instead, which is discarded (PRUNED, nothing run). A trial
whose worker stopped (Ctrl-C, SIGTERM) or died (stale heartbeat, PostgreSQL) is failed by
exactly one process and queued again by that process (Optuna's RetryHeartbeatStaleTrialCallback),
so it runs once more, not twice. A point whose backtest raised an error is failed and not queued
again: the same error would follow.
"""

from __future__ import annotations

import json
import socket
from typing import Any

from ..protocol import BridgeError
from . import storage as storages

KIND = "sweep"
READY_ATTR = "tradai"  # set after every point is queued: a worker joins only a complete study
# The candles the sweep runs on (source, exchange, pairs, timeframe, timerange; from ArcticDB also the
# library and each symbol's version), also kept as their own user attr for `hyperopt show` and Optuna's tools.
CANDLES_ATTR = "tradai_candles"
# Where a store is differs between machines (an lmdb:// path); what was read from it does not.
CANDLES_NOT_COMPARED = ("uri",)
DISCARDED = "tradai_discarded"
ERROR = "tradai_error"


def key(params: dict[str, Any]) -> str:
    """A grid point's identity: its values by name, independent of the order of the names."""
    return json.dumps(params, sort_keys=True)


def search_space(grid: list[dict[str, Any]]) -> dict[str, list[Any]]:
    return {axis["name"]: list(axis["values"]) for axis in grid}


def distributions(grid: list[dict[str, Any]]):
    from optuna.distributions import CategoricalDistribution

    return {axis["name"]: CategoricalDistribution(list(axis["values"])) for axis in grid}


def sampler(grid: list[dict[str, Any]]):
    import optuna

    # No seed: every process shuffles the grid the same way (seed 0), so grid ids mean the same point everywhere.
    return optuna.samplers.GridSampler(search_space(grid))


def retry(study, trial) -> None:
    """Queue a failed trial again (its grid id and values kept): Optuna's retry callback."""
    import warnings

    import optuna
    from optuna.storages import RetryHeartbeatStaleTrialCallback

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        RetryHeartbeatStaleTrialCallback()(study, trial)


def open_storage(request: dict):
    """The request's storage; a database one fails stale trials (dead workers) and queues them again."""
    return storages.open_storage(request, stale_callback=retry)


def open_sweep(store, name: str, create: bool, want: dict[str, Any], label: str):
    """The sweep study ``name`` loaded with its GridSampler: created with every point queued (when
    absent and ``create``), else checked against ``want`` (same strategy, candles, grid)."""
    import optuna

    grid = want["grid"]
    existing = {s.study_name for s in optuna.get_all_study_summaries(store, include_best_trial=False)}
    if name not in existing:
        if not create:
            raise BridgeError("NOT_FOUND", f"no study {name!r} in {label}",
                              hint="start the sweep with `tradai strategy sweep --study NAME --storage URL`",
                              details={"study": name, "available": sorted(existing)})
        try:
            study = optuna.create_study(study_name=name, storage=store, direction="maximize", sampler=sampler(grid))
        except optuna.exceptions.DuplicatedStudyError:
            return _wait_ready(store, name, want, label)  # another process created it just now
        _queue_points(study, grid)
        if want.get("candles") is not None:
            study.set_user_attr(CANDLES_ATTR, want["candles"])
        study.set_user_attr(READY_ATTR, want)
        return study
    return _wait_ready(store, name, want, label)


def _queue_points(study, grid: list[dict[str, Any]]) -> None:
    """One WAITING trial per grid id, in order: trial k is grid k, as GridSampler numbers them."""
    import optuna

    space = search_space(grid)
    count = 1
    for values in space.values():
        count *= len(values)
    for grid_id in range(count):
        study.add_trial(optuna.trial.create_trial(state=optuna.trial.TrialState.WAITING,
                                                  system_attrs={"search_space": space, "grid_id": grid_id}))


def _wait_ready(store, name: str, want: dict[str, Any], label: str):
    import time

    import optuna

    for _ in range(600):  # the creator queues its points first (a few seconds for a large grid)
        study = optuna.load_study(study_name=name, storage=store, sampler=sampler(want["grid"]))
        have = study.user_attrs.get(READY_ATTR)
        if have is not None:
            break
        time.sleep(0.5)
    else:
        raise BridgeError("ENGINE", f"study {name!r} in {label} was created but never got its grid points",
                          hint="start a new sweep with another --study")
    if have.get("engine") != KIND:
        raise BridgeError("USAGE", f"study {name!r} is not a sweep (it was created by `tradai hyperopt run`)",
                          hint="name a new study with --study, or join it with `tradai hyperopt worker`",
                          details={"study": name})
    if have.get("candles") is not None:  # a study made before candles were recorded has none to compare
        _check_candles(name, have["candles"], want.get("candles") or {})
    for field in ("strategy", "grid", "problem"):
        if have.get(field) != want.get(field):
            raise BridgeError("USAGE", f"study {name!r} is a sweep of another {field} ({json.dumps(have.get(field))[:300]})",
                              hint="run it with the same strategy, grid and data flags, or name a new study with --study",
                              details={"study": name, "field": field})
    return study


def _check_candles(name: str, have: dict[str, Any], want: dict[str, Any]) -> None:
    """Refuses to add points computed on other candles than the study's (another source, pairs,
    timerange, ArcticDB symbol version...), naming the first difference."""
    keys = sorted(set(have) | set(want), key=lambda field: (field != "source", field))  # another source says most
    for field in (k for k in keys if k not in CANDLES_NOT_COMPARED):
        where = difference(have.get(field), want.get(field), field)
        if where is not None:
            path, theirs, ours = where
            raise BridgeError(
                "USAGE",
                f"study {name!r} ran on other candles: {path} is {json.dumps(theirs)[:200]} in the study, "
                f"{json.dumps(ours)[:200]} here",
                hint="run it on the same candles (data source, pairs, timeframe, timerange; from ArcticDB the same "
                     "symbol versions), or name a new study with --study",
                details={"study": name, "field": path, "study_value": theirs, "here": ours})


def difference(have: Any, want: Any, path: str) -> tuple[str, Any, Any] | None:
    """The first place two JSON values differ: (its path like ``symbols[0].version``, theirs, ours)."""
    if isinstance(have, dict) and isinstance(want, dict):
        for key_ in sorted(set(have) | set(want)):
            found = difference(have.get(key_), want.get(key_), f"{path}.{key_}")
            if found:
                return found
        return None
    if isinstance(have, list) and isinstance(want, list) and len(have) == len(want):
        for index, (a, b) in enumerate(zip(have, want, strict=True)):
            found = difference(a, b, f"{path}[{index}]")
            if found:
                return found
        return None
    return None if have == want else (path, have, want)


def fail_orphans(study, run_id: str, database: bool) -> list[int]:
    """Trials left RUNNING by a stopped run, failed and queued again (hyperopt's orphan rule; in a
    database the stale-trial callback queues them, here ``retry`` does)."""
    from .storage import fail_orphans as fail_stopped

    return fail_stopped(study, run_id, database, on_failed=lambda trial: retry(study, trial))


def claim(study, grid: list[dict[str, Any]], run_id: str):
    """A queued grid point for this process (a Trial), or None when none is queued."""
    from optuna.trial import TrialState

    while True:
        if not study.get_trials(deepcopy=False, states=(TrialState.WAITING,)):
            return None
        trial = study.ask(distributions(grid))
        attrs = study._storage.get_trial_system_attrs(trial._trial_id)
        if "grid_id" in attrs and ("failed_trial" in attrs or trial.number < _size(grid)):
            trial.set_user_attr("tradai_run", run_id)
            trial.set_user_attr("host", socket.gethostname())
            return trial
        # The queue emptied between the look and the ask: Optuna made a new trial, whose values
        # GridSampler took from a point another process holds. It is discarded unrun.
        trial.set_user_attr(DISCARDED, "the last queued point was taken by another process; nothing ran")
        tell(study, trial, state=TrialState.PRUNED)


def _size(grid: list[dict[str, Any]]) -> int:
    count = 1
    for axis in grid:
        count *= len(axis["values"])
    return count


def tell(study, trial, value: float | None = None, state=None) -> None:
    """``study.tell``; GridSampler calls ``study.stop()`` after the last grid point, which raises
    outside ``optimize`` once the trial is stored (its docstring; optuna#4121)."""
    try:
        if state is None:
            study.tell(trial, value)
        else:
            study.tell(trial, state=state)
    except RuntimeError as exc:
        if "Study.stop" not in str(exc):
            raise


def fail(study, trial, requeue: bool, error: str | None = None) -> None:
    """Fail our running trial; ``requeue`` (we were stopped, the point did not fail) queues it again."""
    from optuna.exceptions import UpdateFinishedTrialError
    from optuna.trial import TrialState

    if error:
        trial.set_user_attr(ERROR, error[:2000])
    try:
        if not study._storage.set_trial_state_values(trial._trial_id, TrialState.FAIL):
            return
    except UpdateFinishedTrialError:
        return  # failed (and queued again) by the process that found it stale
    if requeue:
        retry(study, study._storage.get_trial(trial._trial_id))


def status(study, grid: list[dict[str, Any]]) -> dict[str, Any]:
    """The points done (their COMPLETE trial by point key), and what is still queued or running."""
    from optuna.trial import TrialState

    done: dict[str, Any] = {}
    errors: dict[str, str] = {}
    pending = 0
    for trial in study.get_trials(deepcopy=False):
        if trial.state == TrialState.COMPLETE:
            done.setdefault(key(trial.params), trial)
        elif trial.state in (TrialState.WAITING, TrialState.RUNNING):
            pending += 1
        elif trial.state == TrialState.FAIL and trial.user_attrs.get(ERROR):
            errors[key(trial.params)] = trial.user_attrs[ERROR]
    return {"done": done, "pending": pending, "errors": {k: v for k, v in errors.items() if k not in done},
            "total": _size(grid)}
