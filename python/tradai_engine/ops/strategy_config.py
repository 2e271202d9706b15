"""strategy-config: the effective Freqtrade config a run of one strategy would use, each key with its source.

The same ft_config.build_config_with_sources a backtest runs, without running anything: so what
`tradai config strategy show` prints is what the next backtest writes to its config.json. With
``strategyConfigFragment`` the fragment stands in for the strategy's configuration file (used by
`config strategy set` / `unset` to validate before writing).
"""

from __future__ import annotations

import json
from copy import deepcopy
from pathlib import Path
from typing import Any

from ..ft_config import build_config_with_sources
from ..protocol import BridgeError
from ..requests import require
from ..user_config import read_config_file, strategy_config_file
from .backtest import find_strategy

MASK = "***"


def run(request: dict) -> dict:
    entry = find_strategy(require(request, "strategy", str), require(request, "strategyPath", str))
    strategy_file = Path(entry.file)
    own = strategy_config_file(strategy_file)
    edit = request.get("strategyConfigEdit")
    fragment = request.get("strategyConfigFragment")
    if isinstance(edit, dict):
        # `config strategy set/unset`: one engine call edits, validates and hands back the new fragment; TS writes it.
        before = _plain_json(own)
        fragment = _edited(before, require(edit, "key", str), edit.get("value"), bool(edit.get("unset")))
        request = {**request, "strategyConfigFragment": fragment}
    elif not isinstance(fragment, dict):
        fragment = read_config_file(own) if own.is_file() else None
    run_dir = request.get("runDir") or str(Path(require(request, "userDataDir", str)) / "backtest_results" / "tradai" / "<run id>")
    config, sources, user = build_config_with_sources({**request, "runDir": run_dir, "cache": "none"}, entry.cls, strategy_file)
    if isinstance(edit, dict):
        key = edit["key"]
        dropped = [w for w in user.warnings if w.split(" ", 1)[0] == key or w.split(" ", 1)[0].startswith(key + ".")]
        if dropped and not edit.get("unset"):
            raise BridgeError("USAGE", f"{key} cannot be kept in a strategy configuration: {dropped[0]}",
                              hint="exchange credentials: `tradai credentials set`", details={"key": key})
        return {"strategy": {"name": entry.name, "className": entry.class_name, "file": entry.file},
                "configFile": str(own), "fragment": fragment, "changed": fragment != before,
                "previous": _get(before, key)}
    return {
        "strategy": {"name": entry.name, "className": entry.class_name, "file": entry.file},
        "configFile": str(own),
        "exists": own.is_file(),
        "fragment": masked(fragment) if fragment is not None else None,
        "config": masked(config),
        "sources": sources,
        "files": user.files,
        "warnings": user.warnings,
    }


def _plain_json(path: Path) -> dict[str, Any]:
    """The strategy's configuration as tradai edits it: plain JSON (comments would be lost on write)."""
    if not path.is_file():
        return {}
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        # Position only: the text around the error may hold a secret.
        raise BridgeError("CONFIG", f"{path}:{exc.lineno}: not plain JSON ({exc.msg}); tradai edits plain JSON strategy configurations",
                          hint="fix the file, or remove comments and trailing commas from it",
                          details={"file": str(path), "line": exc.lineno}) from None
    if not isinstance(value, dict):
        raise BridgeError("CONFIG", f"{path} must hold a JSON object (a Freqtrade config fragment)", details={"file": str(path)})
    return value


def _parts(key: str) -> list[str]:
    parts = key.split(".")
    if not all(parts):
        raise BridgeError("USAGE", f"malformed key {key!r}: use dotted Freqtrade keys, like stoploss or unfilledtimeout.entry")
    return parts


def _get(fragment: dict[str, Any], key: str) -> Any:
    node: Any = fragment
    for part in _parts(key):
        node = node.get(part) if isinstance(node, dict) else None
    return node


def _edited(fragment: dict[str, Any], key: str, value: Any, unset: bool) -> dict[str, Any]:
    """A copy of ``fragment`` with the dotted ``key`` set to ``value`` (or removed, emptied parents too)."""
    copy = deepcopy(fragment)
    parts = _parts(key)
    trail = [copy]
    for part in parts[:-1]:
        nxt = trail[-1].get(part)
        if nxt is None and not unset:
            nxt = trail[-1][part] = {}
        if not isinstance(nxt, dict):
            if unset:
                return copy
            raise BridgeError("USAGE", f"cannot set {key!r}: {part!r} holds {json.dumps(nxt)}, not an object", details={"key": key})
        trail.append(nxt)
    if not unset:
        trail[-1][parts[-1]] = value
        return copy
    trail[-1].pop(parts[-1], None)
    for depth in range(len(trail) - 1, 0, -1):
        if not trail[depth]:
            trail[depth - 1].pop(parts[depth - 1])
    return copy


def masked(config: dict[str, Any]) -> dict[str, Any]:
    """Freqtrade's own list of sensitive keys, with any non-empty value shown as ***."""
    from freqtrade.configuration.config_secrets import sanitize_config

    clean = sanitize_config(config)
    return _replace_redacted(clean, config)


def _replace_redacted(clean: Any, original: Any) -> Any:
    if isinstance(clean, dict):
        return {k: _replace_redacted(v, original.get(k) if isinstance(original, dict) else None) for k, v in clean.items()}
    if clean == "REDACTED":
        return MASK if original not in (None, "") else original
    return clean
