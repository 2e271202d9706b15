"""hyperopt-studies: the studies in a storage (`tradai hyperopt list`) or one study with its
trials or one trial (`tradai hyperopt show`). Optuna studies, and the results files of
`hyperopt run --engine freqtrade` (resultsDir, read as plain JSON): no Freqtrade import, so it is quick.

Request: ``{"studiesDir": "/abs/.tradai/studies" | null, "storage": URL | null,
"resultsDir": "/abs/user_data/hyperopt_results" | null, "study": NAME | null, "trial": N | null}``.
Journal studies are one file per study in studiesDir; Freqtrade's are one .fthypt file each.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..hyperopt import fthypt, storage as storages, summary
from ..protocol import BridgeError


def run(request: dict) -> dict:
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    name = request.get("study")
    sources = _sources(request, name)
    if not name:
        studies = []
        for label, store in sources:
            for info in optuna.get_all_study_summaries(store, include_best_trial=False):
                study = optuna.load_study(study_name=info.study_name, storage=store)
                studies.append({**storages.study_summary(study), "storage": label})
        studies.extend(fthypt.summary(file) for file in fthypt.files(request.get("resultsDir")))
        studies.sort(key=lambda s: s["lastUpdate"] or "", reverse=True)
        return {"studies": studies}
    for label, store in sources:
        try:
            study = optuna.load_study(study_name=name, storage=store)
        except KeyError:
            continue
        return _show(study, label, request.get("trial"))
    results = fthypt.find(request.get("resultsDir"), name)
    if results:
        return fthypt.show(results, request.get("trial"))
    where = storages.redact(request.get("storage")) or request.get("studiesDir")
    raise BridgeError("NOT_FOUND", f"no study {name!r} in {where}", hint="`tradai hyperopt list` shows the studies",
                      details={"study": name})


def _sources(request: dict, name: str | None) -> list[tuple[str, Any]]:
    if request.get("storage"):
        return [(storages.redact(request["storage"]), storages.open_storage(request))]
    folder = Path(request.get("studiesDir") or "")
    files = sorted(folder.glob("*.log")) if folder.is_dir() else []
    if name:
        files = [f for f in files if f.stem == storages.check_study_name(name)]
    return [(str(f), storages.open_storage({"journalFile": str(f)})) for f in files]


def _show(study, label: str, number: Any) -> dict[str, Any]:
    info = {**storages.study_summary(study), "storage": label}
    attrs = study.user_attrs.get("tradai") or {}
    info["problem"] = attrs.get("problem")
    if attrs.get("engine") == "sweep":  # a shared sweep (strategy sweep --storage): what a worker needs to join it
        info["sweep"] = {key: attrs.get(key) for key in ("strategy", "grid", "sortBy", "problem", "settingSources")}
    ranked = summary.ranked(study)
    info["bestTrial"] = summary.trial_row(ranked[0]) if ranked else None
    info["paretoFront"] = summary.pareto(study)
    trials = study.get_trials(deepcopy=False)
    if number is None:
        return {**info, "trialList": [summary.trial_row(t) for t in trials]}
    match = [t for t in trials if t.number == number]
    if not match:
        raise BridgeError("NOT_FOUND", f"study {study.study_name!r} has no trial {number} (trials 0 to {len(trials) - 1})",
                          details={"trial": number})
    trial = match[0]
    return {**info, "trial": {**summary.trial_row(trial), "paramsDetails": trial.user_attrs.get("params_details"),
                              "paramsNotOptimized": trial.user_attrs.get("params_not_optimized")}}
