"""A cache of ``strategy_index.read_file`` for ``strategy list``: each file's entries, reused only
while nothing they were read from can have changed.

An entry is reused when all of these are what they were when it was written, checked on every run:
- the file's content (sha256, with its size and mtime; an edited file is re-read even when its
  size and mtime were restored);
- its folder's mtime (a module added beside it, or removed, changes what its imports find);
- the context: tradai_engine's own source files (the reader's code) and every sys.path entry's
  mtime (a package installed or removed changes which imports are missing), and the Python.
  sys.path holds the working folder, so each folder tradai runs from has its own set of entries
  (the last MAX_CONTEXTS kept).
Only entries read from the source alone are kept (``source: "static"``): a file that had to be
imported depends on other files. The cache lives in the engine's venv (``sys.prefix``); a venv that
cannot be written (a read-only image) just means no cache.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .strategy_index import IndexEntry

VERSION = 2
MAX_FILES = 2000
# One set of entries per context (sys.path holds the working folder: each folder tradai runs from
# is its own context), the most recently used kept.
MAX_CONTEXTS = 8


def cache_file() -> Path:
    return Path(sys.prefix) / "tradai-cache" / "strategy-index.json"


def _stat_key(path: Path) -> list[int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return [stat.st_size, stat.st_mtime_ns]


def context_paths() -> list[tuple[str, Path]]:
    """What the reader's answers depend on besides the strategy files: its own code and every
    sys.path entry (a package installed or removed changes which imports are missing).
    strategy_list_snapshot records the same paths for tradai's Node side."""
    package = Path(__file__).resolve().parent
    paths = [(str(p.relative_to(package)), p) for p in sorted(package.rglob("*.py"))]
    return paths + [(entry, Path(entry or ".")) for entry in sys.path]


def context_key() -> str:
    """The reader's code and what its import checks see; any change drops the whole cache."""
    parts: list[object] = [VERSION, sys.version, sys.prefix]
    parts += [(label, _stat_key(path)) for label, path in context_paths()]
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()


def file_key(file: Path) -> dict | None:
    try:
        data = file.read_bytes()
        stat = file.stat()
    except OSError:
        return None
    return {"sha256": hashlib.sha256(data).hexdigest(), "size": stat.st_size, "mtime": stat.st_mtime_ns,
            "folder": _stat_key(file.parent)}


class IndexCache:
    def __init__(self, path: Path, context: str, files: dict[str, dict], others: dict[str, dict]):
        self.path, self.context, self.files, self.others, self.changed = path, context, files, others, False

    @classmethod
    def open(cls) -> IndexCache:
        path, context = cache_file(), context_key()
        try:
            stored = json.loads(path.read_text(encoding="utf-8"))
            contexts = stored["contexts"] if stored.get("version") == VERSION else {}
            files = dict(contexts.pop(context, {}))
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            contexts, files = {}, {}
        return cls(path, context, files, contexts if isinstance(contexts, dict) else {})

    def get(self, file: Path) -> list[IndexEntry] | None:
        from .strategy_index import IndexEntry

        stored = self.files.get(str(file))
        key = file_key(file)
        if stored is None or key is None or stored.get("key") != key:
            return None
        return [IndexEntry(**entry) for entry in stored["entries"]]

    def put(self, file: Path, entries: list[IndexEntry]) -> None:
        key = file_key(file)
        if key is None or any(entry.source != "static" for entry in entries):
            self.files.pop(str(file), None)
            return
        self.files[str(file)] = {"key": key, "entries": [asdict(entry) for entry in entries]}
        self.changed = True

    def save(self) -> None:
        if not self.changed:
            return
        contexts = {**self.others, self.context: dict(list(self.files.items())[-MAX_FILES:])}
        contexts = dict(list(contexts.items())[-MAX_CONTEXTS:])  # this one last: kept longest
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
            tmp.write_text(json.dumps({"version": VERSION, "contexts": contexts}), encoding="utf-8")
            os.replace(tmp, self.path)  # atomic: a concurrent reader sees the old or the new file
        except OSError:
            pass  # a read-only venv: no cache, same answers
