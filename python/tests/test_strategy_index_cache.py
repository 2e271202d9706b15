"""strategy list's cache of the static index (strategy_index_cache.py): the same entries as a fresh
read, and a file, folder or context that changed is read again."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tradai_engine import strategy_index_cache
from tradai_engine.strategy_index import scan

from .conftest import LINT_FIXTURES, STRATEGIES

STRATEGY = '''from tradai_engine_helpers_x import SIGNAL  # noqa
from freqtrade.strategy import IStrategy


class CachedStrategy(IStrategy):
    timeframe = "{timeframe}"
    minimal_roi = {{"0": 0.1}}
    stoploss = -0.1

    def populate_indicators(self, dataframe, metadata):
        return dataframe

    def populate_entry_trend(self, dataframe, metadata):
        return dataframe

    def populate_exit_trend(self, dataframe, metadata):
        return dataframe
'''


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    file = tmp_path / "cache" / "strategy-index.json"
    monkeypatch.setattr(strategy_index_cache, "cache_file", lambda: file)
    return file


def _dicts(entries):
    return [entry.to_dict() for entry in entries]


@pytest.mark.parametrize("folder", [STRATEGIES, LINT_FIXTURES])
def test_cached_scan_is_the_fresh_scan(cache, folder):
    fresh = _dicts(scan(str(folder)))
    assert _dicts(scan(str(folder), cached=True)) == fresh  # writes the cache
    assert cache.is_file()
    assert _dicts(scan(str(folder), cached=True)) == fresh  # reads it


def test_an_edited_file_is_read_again_even_with_its_size_and_mtime_restored(cache, tmp_path):
    folder = tmp_path / "strategies"
    folder.mkdir()
    file = folder / "cached_strategy.py"
    file.write_text(STRATEGY.format(timeframe="5m"))
    before = file.stat()
    assert [e.timeframe for e in scan(str(folder), cached=True)] == ["5m"]
    file.write_text(STRATEGY.format(timeframe="1h"))  # same size
    os.utime(file, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert file.stat().st_size == before.st_size
    assert [e.timeframe for e in scan(str(folder), cached=True)] == ["1h"]


def test_a_module_added_beside_the_file_changes_the_import_verdict(cache, tmp_path):
    folder = tmp_path / "strategies"
    folder.mkdir()
    (folder / "cached_strategy.py").write_text(STRATEGY.format(timeframe="5m"))
    first = scan(str(folder), cached=True)
    assert first[0].error and "tradai_engine_helpers_x" in first[0].error["message"]
    (folder / "tradai_engine_helpers_x.py").write_text("SIGNAL = 1\n")
    assert [e.error for e in scan(str(folder), cached=True)] == [None]


def test_a_changed_context_drops_the_cache(cache, monkeypatch, tmp_path):
    folder = tmp_path / "strategies"
    shutil.copytree(STRATEGIES, folder)
    scan(str(folder), cached=True)
    stored = strategy_index_cache.IndexCache.open()
    assert stored.files
    monkeypatch.setattr(strategy_index_cache, "context_key", lambda: "another engine")
    assert strategy_index_cache.IndexCache.open().files == {}


def test_contexts_are_kept_side_by_side(cache, monkeypatch, tmp_path):
    folder = tmp_path / "strategies"
    shutil.copytree(STRATEGIES, folder)
    for context in ("from folder A", "from folder B"):
        monkeypatch.setattr(strategy_index_cache, "context_key", lambda context=context: context)
        scan(str(folder), cached=True)
    monkeypatch.setattr(strategy_index_cache, "context_key", lambda: "from folder A")
    assert strategy_index_cache.IndexCache.open().files  # B's run did not drop A's entries


def test_an_unwritable_cache_is_no_cache(monkeypatch, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setattr(strategy_index_cache, "cache_file", lambda: blocker / "sub" / "strategy-index.json")
    assert _dicts(scan(str(STRATEGIES), cached=True)) == _dicts(scan(str(STRATEGIES)))
