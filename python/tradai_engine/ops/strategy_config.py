"""strategy-config: the effective Freqtrade config a run of one strategy would use, each key with its source.

The same ft_config.build_config_with_sources a backtest runs, without running anything: so what
`tradai config strategy show` prints is what the next backtest writes to its config.json. With
``strategyConfigFragment`` the fragment stands in for the strategy's configuration file (used by
`config strategy set` / `unset` to validate before writing).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..ft_config import build_config_with_sources
from ..requests import require
from ..user_config import read_config_file, strategy_config_file
from .backtest import find_strategy

MASK = "***"


def run(request: dict) -> dict:
    entry = find_strategy(require(request, "strategy", str), require(request, "strategyPath", str))
    strategy_file = Path(entry.file)
    own = strategy_config_file(strategy_file)
    fragment = request.get("strategyConfigFragment")
    if not isinstance(fragment, dict):
        fragment = read_config_file(own) if own.is_file() else None
    run_dir = request.get("runDir") or str(Path(require(request, "userDataDir", str)) / "backtest_results" / "tradai" / "<run id>")
    config, sources, user = build_config_with_sources({**request, "runDir": run_dir, "cache": "none"}, entry.cls, strategy_file)
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
