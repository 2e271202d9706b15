"""strategy list's snapshot for the Node side (strategy_list_snapshot.py): what it records is every
input the answer was read from, the same context the index cache checks."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from tradai_engine import strategy_list_snapshot
from tradai_engine.ops import strategy_list
from tradai_engine.strategy_index_cache import context_paths

from .conftest import STRATEGIES


@pytest.fixture
def snapshot(tmp_path, monkeypatch) -> Path:
    file = tmp_path / "cache" / "strategy-list.json"
    monkeypatch.setattr(strategy_list_snapshot, "snapshot_file", lambda: file)
    monkeypatch.setattr("tradai_engine.strategy_index_cache.cache_file", lambda: tmp_path / "cache" / "index.json")
    return file


def test_a_static_listing_records_its_answer_and_every_input(snapshot, tmp_path):
    folder = tmp_path / "strategies"
    (folder / "sub").mkdir(parents=True)
    (folder / "__pycache__").mkdir()
    for name in ("sample_rsi_strategy.py", "sample_ema_cross_strategy.py"):
        (folder / "sub" / name).write_text((STRATEGIES / name).read_text())
    result = strategy_list.run({"strategyPath": str(folder)})
    [stored] = json.loads(snapshot.read_text())["requests"]
    assert stored["result"] == json.loads(json.dumps(result))
    assert (stored["strategyPath"], stored["cwd"]) == (str(folder), os.getcwd())
    recorded = {entry["path"]: entry for entry in stored["inputs"]}
    for name in ("sample_rsi_strategy.py", "sample_ema_cross_strategy.py"):
        file = recorded[str((folder / "sub" / name).resolve())]
        assert file["sha256"] and file["stat"] == [str(file_stat) for file_stat in _stat(folder / "sub" / name)]
    assert {str(folder.resolve()), str((folder / "sub").resolve())} <= set(recorded)
    assert str((folder / "__pycache__").resolve()) not in recorded  # strategy_files skips it
    assert {str(path.absolute()) for _, path in context_paths()} | {sys.executable} <= set(recorded)


def test_the_python_environment_hash_matches_the_node_side():
    # test/unit/strategy-list-snapshot.test.ts pins the same value for pythonEnvHash.
    env = {"PYTHONPATH": "/x:/y", "PYTHONHOME": "/é", "HOME": "/root"}
    assert strategy_list_snapshot.python_env_hash(env) == "9809b4b14a868d01531ffa497d9daffa579860b4ad7df02a21db9fcd7a516c60"


def _stat(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns
