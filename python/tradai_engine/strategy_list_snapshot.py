"""The whole answer of a static ``strategy list``, kept so that tradai's Node side can answer the
same request again without starting Python (src/engines/python/strategy-list-snapshot.ts).

Written after a listing whose every entry was read from the source (``source: "static"``; an
imported file depends on other files). It holds the answer, the log lines that came with it, and
every input the answer was computed from, each with what this run saw:
- each strategy file: size, mtime and sha256 (strategy_index_cache.file_key's; an edit that keeps
  size and mtime is still seen);
- each folder the file search walked, and each file's folder (a file added or removed changes its
  folder's mtime);
- the context: the paths strategy_index_cache.context_paths() lists (tradai_engine's code, every
  sys.path entry) and the Python executable;
- the request: strategy path, working folder and a hash of the PYTHON* environment (it decides
  sys.path).
The rule on the Node side is only "every recorded stat and hash is unchanged": which inputs count
is decided here, next to the cache that uses the same ones. Mtimes are strings (nanoseconds do not
fit a JSON number). One answer per request, the last MAX_REQUESTS kept, in the engine's venv.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

from .strategy_index_cache import context_paths, file_key

VERSION = 1
MAX_REQUESTS = 8


def snapshot_file() -> Path:
    return Path(sys.prefix) / "tradai-cache" / "strategy-list.json"


def python_env_hash(env: dict[str, str]) -> str:
    """sha256 of the PYTHON* variables as sorted ``NAME=value`` lines (values may be private: only the hash is kept)."""
    lines = "".join(f"{k}={v}\n" for k, v in sorted(env.items()) if k.startswith("PYTHON"))
    return hashlib.sha256(lines.encode("utf-8", "surrogateescape")).hexdigest()


def _stat(path: Path) -> list[str] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return [str(stat.st_size), str(stat.st_mtime_ns)]


def _walked_folders(strategy_path: str) -> list[Path]:
    """The folders strategies.strategy_files looks into (it skips names starting with __ or .)."""
    root = Path(strategy_path)
    if not root.is_dir():
        return []
    folders = [root]
    for dirpath, dirnames, _ in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(("__", ".")))
        folders += [Path(dirpath) / d for d in dirnames]
    return folders


def save(strategy_path: str, files: list[Path], result: dict, logs: list[dict]) -> None:
    inputs: list[dict] = []
    for file in files:
        key = file_key(file)
        if key is None:
            return
        inputs.append({"path": str(file), "stat": [str(key["size"]), str(key["mtime"])], "sha256": key["sha256"]})
    folders = {str(f.resolve()) for f in _walked_folders(strategy_path)} | {str(f.parent) for f in files}
    inputs += [{"path": folder, "stat": _stat(Path(folder))} for folder in sorted(folders)]
    context = [path for _, path in context_paths()] + [Path(sys.executable)]
    inputs += [{"path": str(path.absolute()), "stat": _stat(path)} for path in context]
    request = {"strategyPath": strategy_path, "cwd": os.getcwd(), "pythonEnv": python_env_hash(dict(os.environ))}
    path = snapshot_file()
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        requests = [r for r in stored["requests"] if {k: r.get(k) for k in request} != request]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        requests = []
    requests = [*requests, {**request, "inputs": inputs, "result": result, "logs": logs}][-MAX_REQUESTS:]
    try:
        text = json.dumps({"version": VERSION, "requests": requests}, allow_nan=False)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)  # atomic: a concurrent reader sees the old or the new file
    except (OSError, TypeError, ValueError):
        pass  # a read-only venv (or an answer JSON cannot hold): no snapshot, Python answers every time
