"""Creating / joining a study: the search space signature kept in the study's user attrs makes a
study refuse a run with another space; samplers by tradai's names."""

from __future__ import annotations

import warnings
from typing import Any

from ..contract import vocabulary
from ..protocol import BridgeError
from . import objectives as objective_defs

SAMPLERS = tuple(vocabulary()["samplers"])  # the bridge contract's vocabulary (TS defines it)


def sampler(name: str | None, seed: int | None, multi: bool, jobs: int):
    import optuna

    name = name or ("nsga2" if multi else "tpe")
    if name not in SAMPLERS:
        raise BridgeError("USAGE", f"unknown sampler {name!r}; known: {', '.join(SAMPLERS)}")
    if multi and name in ("cmaes", "gp"):
        raise BridgeError("USAGE", f"sampler {name} optimizes one objective; use nsga2 (or tpe, random) with --objectives")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        from freqtrade.optimize.hyperopt.hyperopt_optimizer import INITIAL_POINTS

        if name == "tpe":
            # Random start as long as Freqtrade's (INITIAL_POINTS); constant_liar: parallel workers
            # do not all sample the same promising point.
            return optuna.samplers.TPESampler(seed=seed, n_startup_trials=INITIAL_POINTS, constant_liar=jobs > 1,
                                              multivariate=True)
        if name == "nsga2":
            return optuna.samplers.NSGAIISampler(seed=seed)
        if name == "cmaes":
            return optuna.samplers.CmaEsSampler(seed=seed, warn_independent_sampling=False)
        if name == "random":
            return optuna.samplers.RandomSampler(seed=seed)
        try:
            import torch  # noqa: F401 - GPSampler needs it
        except ImportError:
            raise BridgeError("USAGE", "sampler gp needs PyTorch, which the tradai engine does not install",
                              hint="use --sampler tpe (default) or cmaes") from None
        return optuna.samplers.GPSampler(seed=seed)


def settings(request: dict, optimizer, space: dict[str, Any], signature: str, objectives: list[str]) -> dict[str, Any]:
    from optuna.distributions import distribution_to_json

    return {
        "engine": "optuna",
        "strategy": optimizer.backtesting.strategy.get_strategy_name(),
        "spaces": list(request.get("spaces") or ["default"]),
        "loss": optimizer.config["hyperopt_loss"],
        "objectives": objectives,
        "signature": signature,
        "space": {name: distribution_to_json(d) for name, d in space.items()},
        "minTrades": optimizer.config["hyperopt_min_trades"],
    }


def open_study(storage, name: str, create: bool, want: dict[str, Any], storage_label: str):
    """The study ``name``: created when absent (if ``create``), else checked against ``want``."""
    import optuna

    existing = {s.study_name: s for s in optuna.get_all_study_summaries(storage, include_best_trial=False)}
    if name not in existing:
        if not create:
            raise BridgeError("NOT_FOUND", f"no study {name!r} in {storage_label}",
                              hint="start it with `tradai hyperopt run --study NAME --storage URL`",
                              details={"study": name, "available": sorted(existing)})
        study = optuna.create_study(study_name=name, storage=storage,
                                    directions=objective_defs.directions(want["objectives"]))
        study.set_user_attr("tradai", want)
        return study
    study = optuna.load_study(study_name=name, storage=storage)
    have = study.user_attrs.get("tradai") or {}
    if have.get("engine", "optuna") != "optuna" or not have:
        raise BridgeError("USAGE", f"study {name!r} was not created by tradai's Optuna engine", details={"study": name})
    if have.get("signature") != want["signature"]:
        ours, theirs = set(want["space"]), set(have.get("space", {}))
        diff = sorted(ours ^ theirs) or sorted(k for k in ours if want["space"][k] != have["space"].get(k))
        raise BridgeError(
            "USAGE",
            f"study {name!r} exists with another search space (spaces {' '.join(have.get('spaces') or [])}, "
            f"strategy {have.get('strategy')}); differing parameters: {', '.join(diff[:8])}",
            hint="continue it with its own --spaces and strategy, or name a new study with --study",
            details={"study": name, "studySpaces": have.get("spaces"), "differing": diff},
        )
    for key in ("loss", "objectives", "strategy"):
        if have.get(key) != want[key]:
            show = lambda v: " ".join(v) if isinstance(v, list) else str(v)  # noqa: E731
            raise BridgeError("USAGE", f"study {name!r} was created with {key} {show(have.get(key))}, not {show(want[key])}",
                              hint=f"use --{key} {show(have.get(key))}, or name a new study with --study",
                              details={"study": name, key: have.get(key)})
    return study
