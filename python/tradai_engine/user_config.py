"""The user's own Freqtrade configuration: the strategy's configuration file and --freqtrade-config files.

Layers, lowest first (README "Strategy configurations"): the strategy's configuration
(``<strategy file stem>.config.json`` beside the strategy file), then each ``--freqtrade-config``
file in order. Files are read and merged with Freqtrade's own loader (``load_from_files``:
``add_config_files`` and ``deep_merge_dicts``, exactly as ``freqtrade -c a.json -c b.json``), and
validated with Freqtrade's own configuration schema. What the user sets survives; ft_config fills
only what is unset, and tradai's flags and environment override it.

Exchange credentials and other secrets Freqtrade itself redacts are dropped with a warning: a
backtest never needs them and tradai never copies them (run folders, MLflow).
"""

from __future__ import annotations

import difflib
import re
from copy import deepcopy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import protocol
from .protocol import BridgeError

STRATEGY_CONFIG_SUFFIX = ".config.json"
# Keys tradai sets itself on every run: where the data, strategy and results are, no live trading.
MANAGED_KEYS = ("strategy", "strategy_path", "user_data_dir", "datadir", "dataformat_ohlcv", "backtest_cache",
                "export", "exportdirectory", "dry_run", "config_files", "add_config_files", "db_url")
# Accepted beside the schema's keys: Freqtrade reads `timerange` from the config; editors add `$schema`.
EXTRA_KEYS = ("timerange", "$schema", "config_files")
# Pairlists that fetch from the network even in a backtest (CoinGecko, a remote URL).
NETWORK_PAIRLISTS = {"MarketCapPairList": "it ranks pairs by market cap fetched from CoinGecko",
                     "RemotePairList": "it downloads its pair list from a URL"}
OFFLINE_ALTERNATIVE = 'use {"method": "StaticPairList"} with the pairs in exchange.pair_whitelist (or --pairs)'
CREDENTIALS_HINT = "store exchange keys with `tradai credentials set`; a backtest never uses them"


@dataclass
class UserConfig:
    config: dict[str, Any] = field(default_factory=dict)
    # dotted leaf key -> where it came from ("strategy configuration /abs/x.config.json", "--freqtrade-config /abs/a.json")
    sources: dict[str, str] = field(default_factory=dict)
    files: list[dict[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def strategy_config_file(strategy_file: Path) -> Path:
    """The strategy's own configuration: ``sample_rsi_strategy.py`` -> ``sample_rsi_strategy.config.json``."""
    return strategy_file.with_name(strategy_file.stem + STRATEGY_CONFIG_SUFFIX)


def load_user_config(request: dict, strategy_file: Path) -> UserConfig:
    """The merged user layers for a request; empty when the strategy has no configuration and no
    --freqtrade-config is given. BridgeError(CONFIG) for an unreadable or invalid file."""
    layers: list[tuple[str, str | None, dict[str, Any]]] = []
    candidate = request.get("strategyConfigFragment")  # `config strategy set` validates before it writes
    own = strategy_config_file(strategy_file)
    if isinstance(candidate, dict):
        layers.append((f"strategy configuration {own}", None, deepcopy(candidate)))
    elif own.is_file():
        layers.append((f"strategy configuration {own}", str(own), read_config_file(own)))
    for name in request.get("freqtradeConfig") or []:
        path = Path(name)
        layers.append((f"--freqtrade-config {path}", str(path), read_config_file(path)))

    user = UserConfig()
    for label, file, fragment in layers:
        if file:
            user.files.append({"file": file, "role": label.rsplit(" ", 1)[0]})
        for key in leaf_keys(fragment):
            user.sources[key] = label
        # Freqtrade's own merge: a later file overrides an earlier one, key by key.
        from freqtrade.misc import deep_merge_dicts

        user.config = deep_merge_dicts(fragment, user.config)
    user.config.pop("config_files", None)
    if user.config:
        validate_fragment(user.config, user.sources)
        _drop_secrets(user)
        _drop_managed(user)
    return user


def read_config_file(path: Path) -> dict[str, Any]:
    """One config file through Freqtrade's loader (comments and trailing commas allowed, its
    add_config_files followed). A syntax error names the file and line, never the text around it
    (it may hold a secret)."""
    from freqtrade.configuration.load_config import load_from_files
    from freqtrade.exceptions import ConfigurationError, OperationalException

    if not path.is_file():
        raise BridgeError("CONFIG", f"Freqtrade config file {path} does not exist", details={"file": str(path)},
                          hint="check the path given to --freqtrade-config")
    try:
        config = load_from_files([str(path)])
    except ConfigurationError as exc:
        reason = str(exc).split("\n", 1)[0]
        match = re.search(r"offset (\d+)", reason)
        line = None
        if match:
            line = path.read_text(encoding="utf-8", errors="replace")[: int(match.group(1))].count("\n") + 1
        reason = re.sub(r"^Parse error at offset \d+:\s*", "", reason)
        raise BridgeError("CONFIG", f"{path}:{line or '?'}: not valid JSON: {reason}",
                          hint="fix the file (Freqtrade's config format: JSON, comments and trailing commas allowed)",
                          details={"file": str(path), "line": line}) from exc
    except OperationalException as exc:
        raise BridgeError("CONFIG", f"{path}: {exc}", details={"file": str(path)}) from exc
    if not isinstance(config, dict):
        raise BridgeError("CONFIG", f"{path}: a Freqtrade config is a JSON object", details={"file": str(path)})
    config.pop("config_files", None)
    return config


def leaf_keys(config: dict[str, Any], prefix: str = "") -> list[str]:
    """Dotted keys of the leaves (a list is a leaf): {"a": {"b": 1}} -> ["a.b"]."""
    keys = []
    for key, value in config.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            keys += leaf_keys(value, dotted + ".")
        else:
            keys.append(dotted)
    return keys


def source_of(sources: dict[str, str], key: str) -> str | None:
    """The source of ``key`` or of the first leaf under it."""
    if key in sources:
        return sources[key]
    return next((label for dotted, label in sources.items() if dotted.startswith(key + ".")), None)


# --- validation ---------------------------------------------------------------------------------


def validate_fragment(config: dict[str, Any], sources: dict[str, str]) -> None:
    """Freqtrade's configuration schema over the user's keys: an unknown top-level key or a value
    the schema refuses is a CONFIG error naming the key, its file and what is allowed."""
    from freqtrade.config_schema.config_schema import CONF_SCHEMA
    from freqtrade.configuration.config_validation import FreqtradeValidator
    from jsonschema.exceptions import best_match

    known = set(CONF_SCHEMA["properties"]) | set(EXTRA_KEYS)
    for key in config:
        if key not in known:
            close = difflib.get_close_matches(key, sorted(known), n=3)
            raise BridgeError(
                "CONFIG",
                f"unknown Freqtrade config key {key!r} (from {source_of(sources, key)})"
                + (f"; did you mean {', '.join(close)}?" if close else "; allowed: the keys of Freqtrade's configuration schema"),
                hint="see https://www.freqtrade.io/en/stable/configuration/ for the keys Freqtrade accepts",
                details={"key": key, "allowed": sorted(known), "didYouMean": close},
            )
    # A fragment need not be complete: the schema's required keys are checked on the final config (by Freqtrade).
    schema = _without_required(deepcopy(CONF_SCHEMA))
    # The validator fills schema defaults into what it checks: check a copy.
    error = best_match(FreqtradeValidator(schema).iter_errors(deepcopy(config)))
    if error is None:
        return
    key = ".".join(str(part) for part in error.absolute_path) or "(top level)"
    allowed = _allowed(error.schema)
    raise BridgeError(
        "CONFIG",
        f"Freqtrade config key {key!r} (from {source_of(sources, key)}): {error.message}"
        + (f"; allowed: {allowed}" if allowed else ""),
        hint="fix the value where it came from; Freqtrade's configuration schema decides what is valid",
        details={"key": key, "allowed": allowed, "reason": error.message},
    )


def _without_required(schema: Any) -> Any:
    if isinstance(schema, dict):
        return {k: _without_required(v) for k, v in schema.items() if k != "required"}
    if isinstance(schema, list):
        return [_without_required(v) for v in schema]
    return schema


def _allowed(schema: dict[str, Any]) -> str:
    parts = []
    if "enum" in schema:
        parts.append("one of " + ", ".join(map(repr, schema["enum"])))
    if "type" in schema:
        kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        parts.append(" or ".join(kinds))
    for bound, word in (("minimum", ">="), ("exclusiveMinimum", ">"), ("maximum", "<="), ("exclusiveMaximum", "<")):
        if isinstance(schema.get(bound), (int, float)) and not isinstance(schema.get(bound), bool):
            parts.append(f"{word} {schema[bound]}")
    if "properties" in schema and not parts:
        parts.append("an object with keys " + ", ".join(schema["properties"]))
    return ", ".join(parts)


def _drop_secrets(user: UserConfig) -> None:
    from freqtrade.configuration.config_secrets import _SENSITIVE_KEYS

    for dotted in _SENSITIVE_KEYS:
        *parents, leaf = dotted.split(".")
        node: Any = user.config
        for part in parents:
            node = node.get(part) if isinstance(node, dict) else None
        if not isinstance(node, dict) or leaf not in node:
            continue
        value = node.pop(leaf)
        label = user.sources.pop(dotted, None)
        if value not in (None, ""):
            message = f"{dotted} in {label} is a secret: tradai ignores it (never used, never copied); {CREDENTIALS_HINT}"
            user.warnings.append(message)
            protocol.log("warning", message)
    for ccxt in ("ccxt_config", "ccxt_async_config", "ccxt_sync_config"):
        options = user.config.get("exchange", {}).get(ccxt)
        for key in [k for k in options or {} if k in ("apiKey", "secret", "password", "uid", "privateKey", "walletAddress", "token")]:
            options.pop(key)
            label = user.sources.pop(f"exchange.{ccxt}.{key}", None)
            message = f"exchange.{ccxt}.{key} in {label} is a credential: tradai ignores it; {CREDENTIALS_HINT}"
            user.warnings.append(message)
            protocol.log("warning", message)


def _drop_managed(user: UserConfig) -> None:
    for key in MANAGED_KEYS:
        if key in user.config:
            user.config.pop(key)
            label = source_of(user.sources, key)
            for dotted in [k for k in user.sources if k == key or k.startswith(key + ".")]:
                user.sources.pop(dotted)
            message = f"{key} in {label} is set by tradai on every run and was ignored"
            user.warnings.append(message)
            protocol.log("warning", message)


def check_offline_pairlists(config: dict[str, Any], sources: dict[str, str]) -> None:
    """A pairlist that cannot run in an offline backtest fails here, with Freqtrade's reason and
    the offline alternative, instead of deep in the run (or on a network call)."""
    from freqtrade.plugins.pairlist.IPairList import SupportsBacktesting

    for entry in config.get("pairlists") or []:
        method = entry.get("method") if isinstance(entry, dict) else None
        origin = source_of(sources, "pairlists")
        if not isinstance(method, str):
            raise BridgeError("CONFIG", f"pairlists entry {entry!r} (from {origin}) has no method",
                              details={"key": "pairlists"})
        reason = NETWORK_PAIRLISTS.get(method)
        if reason is None:
            cls = _pairlist_class(method)
            # Freqtrade's own check (PairListManager._check_backtest) refuses these in a backtest.
            if cls is not None and getattr(cls, "supports_backtesting", None) == SupportsBacktesting.NO:
                reason = f"Freqtrade: Pairlist Handlers {method} do not support backtesting (it needs live tickers from the exchange)"
        if reason:
            raise BridgeError(
                "CONFIG",
                f"pairlist {method} (from {origin}) cannot run offline: {reason}",
                hint=f"in an offline backtest {OFFLINE_ALTERNATIVE}",
                details={"key": "pairlists", "method": method, "alternative": "StaticPairList"},
            )


def _pairlist_class(method: str) -> type | None:
    """Freqtrade's built-in pairlist class by name (its module names vary in case)."""
    import importlib
    import pkgutil

    import freqtrade.plugins.pairlist as package

    for info in pkgutil.iter_modules(package.__path__):
        if info.name.lower() == method.lower():
            return getattr(importlib.import_module(f"{package.__name__}.{info.name}"), method, None)
    return None
