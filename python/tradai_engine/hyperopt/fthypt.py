"""Freqtrade's own hyperopt results (``<user_data>/hyperopt_results/*.fthypt``, one JSON epoch per
line) read as studies, so `tradai hyperopt list` / `show` know the runs of
`hyperopt run --engine freqtrade` by the name it printed (the file's stem). Read as plain JSON:
no Freqtrade import, so list and show stay quick."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any

from . import evaluator

SUFFIX = ".fthypt"
# Freqtrade names the file strategy_<class>_<YYYY-MM-DD_HH-MM-SS>.fthypt (Hyperopt.__init__).
_NAME = re.compile(r"^strategy_(?P<strategy>.+)_\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}$")


def files(results_dir: str | None) -> list[Path]:
    folder = Path(results_dir or "")
    return sorted(folder.glob(f"*{SUFFIX}")) if results_dir and folder.is_dir() else []


def find(results_dir: str | None, name: str) -> Path | None:
    return next((f for f in files(results_dir) if f.stem == name), None)


def _recorded_loss(file: Path) -> str | None:
    """The loss class: Freqtrade's file does not record it, the tradai run that wrote it does
    (its run folder at the default place, <hyperopt_results>/tradai/<run id>/tradai-hyperopt.json)."""
    for record in sorted(file.parent.glob("tradai/*/tradai-hyperopt.json"), reverse=True):
        try:
            result = json.loads(record.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if result.get("storage") == str(file) and isinstance(result.get("loss"), str):
            return str(result["loss"])
    return None


def _epochs(file: Path) -> list[dict[str, Any]]:
    # A run stopped mid-write can leave a partial last line: the complete epochs still count.
    epochs = []
    for line in file.read_text(encoding="utf-8").splitlines():
        if line.strip():
            try:
                epochs.append(json.loads(line))
            except json.JSONDecodeError:
                continue
    return epochs


def trial_row(epoch: dict[str, Any]) -> dict[str, Any]:
    loss = epoch.get("loss")
    return {
        "number": epoch.get("current_epoch"),
        "state": "complete" if loss is not None else "fail",
        "values": [loss] if loss is not None else None,
        "loss": loss,
        "params": epoch.get("params_dict") or {},
        "metrics": evaluator.metrics(epoch.get("results_metrics") or {}),
        "run": None,
        "start": None,
        "complete": None,
        "durationSeconds": None,
    }


def summary(file: Path, epochs: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    epochs = _epochs(file) if epochs is None else epochs
    losses = [e["loss"] for e in epochs if e.get("loss") is not None]
    match = _NAME.match(file.stem)
    first = epochs[0] if epochs else {}
    return {
        "study": file.stem,
        "engine": "freqtrade",
        "strategy": match["strategy"] if match else None,
        "spaces": list((first.get("params_details") or {}).keys()) or None,
        "loss": _recorded_loss(file),
        "objectives": ["loss"],
        "directions": ["minimize"],
        "trials": len(epochs),
        "completedTrials": len(losses),
        "failedTrials": len(epochs) - len(losses),
        "runningTrials": 0,
        "bestLoss": min(losses) if losses else None,
        "lastUpdate": datetime.fromtimestamp(file.stat().st_mtime).astimezone().isoformat(),
        "storage": str(file),
    }


def show(file: Path, number: Any) -> dict[str, Any]:
    from ..protocol import BridgeError

    epochs = _epochs(file)
    info = {**summary(file, epochs), "problem": None, "paretoFront": None}
    valid = [e for e in epochs if e.get("loss") is not None]
    best = min(valid, key=lambda e: (e["loss"], e["current_epoch"])) if valid else None
    info["bestTrial"] = trial_row(best) if best else None
    if number is None:
        return {**info, "trialList": [trial_row(e) for e in epochs]}
    match = [e for e in epochs if e.get("current_epoch") == number]
    if not match:
        raise BridgeError("NOT_FOUND", f"study {file.stem!r} has no trial {number} (epochs 1 to {len(epochs)})",
                          details={"trial": number})
    epoch = match[0]
    return {**info, "trial": {**trial_row(epoch), "paramsDetails": epoch.get("params_details"),
                              "paramsNotOptimized": epoch.get("params_not_optimized")}}
