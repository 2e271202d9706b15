"""TRD002/003/010/011: interface version, required members, and tradai's strategy metadata."""

from __future__ import annotations

import ast
import importlib.util
import sys
from functools import cache
from typing import Any

from . import rules
from .model import Finding, at
from .source import StrategyClass, call_name, literal

SIGNAL_METHODS = ("populate_indicators", "populate_entry_trend", "populate_exit_trend")
# Interface version 2 names and what replaced them in version 3.
V2_METHODS = {"populate_buy_trend": "populate_entry_trend", "populate_sell_trend": "populate_exit_trend"}


def metadata_call(cls: StrategyClass) -> ast.Call | None:
    value = cls.attributes.get("strategy_metadata")
    return value if isinstance(value, ast.Call) and call_name(value) == "StrategyMetadata" else None


def metadata_fields(cls: StrategyClass) -> tuple[dict[str, Any], list[str]]:
    """The literal keyword arguments of StrategyMetadata(...), and the names that are not literals."""
    call = metadata_call(cls)
    values, dynamic = {}, []
    for kw in call.keywords if call else []:
        if kw.arg is None:
            dynamic.append("**")
            continue
        try:
            values[kw.arg] = literal(kw.value)
        except ValueError:
            dynamic.append(kw.arg)
    return values, dynamic


def check(cls: StrategyClass, file: str) -> list[Finding]:
    findings = [*_interface_version(cls, file), *_metadata(cls, file)]
    if cls.direct:  # a subclass of another strategy inherits what it does not define
        findings += _required_members(cls, file)
    return findings


def _interface_version(cls: StrategyClass, file: str) -> list[Finding]:
    rule, value = rules.INTERFACE_VERSION, cls.attributes.get("INTERFACE_VERSION")
    if value is None:
        if not cls.direct:
            return []
        return [at(rule, file, cls.node, f"{cls.name} does not set INTERFACE_VERSION (Freqtrade assumes 3)",
                   "add `INTERFACE_VERSION = 3` to the class so the interface is explicit", strategy=cls.name,
                   severity="info")]
    try:
        version = literal(value)
    except ValueError:
        version = None
    if version == 3:
        return []
    if version == 2:
        return [at(rule, file, cls.targets["INTERFACE_VERSION"], f"{cls.name} sets INTERFACE_VERSION = 2: Freqtrade "
                   "2026.9 still runs it (same results), but interface 3 is current", "set `INTERFACE_VERSION = 3`; "
                   "rename populate_buy_trend/populate_sell_trend to populate_entry_trend/populate_exit_trend and the "
                   "buy/sell columns to enter_long/exit_long", strategy=cls.name, severity="warning")]
    return [at(rule, file, cls.targets["INTERFACE_VERSION"], f"{cls.name} sets INTERFACE_VERSION = {ast.unparse(value)}; "
               "tradai runs interface version 3", "set `INTERFACE_VERSION = 3` and use populate_entry_trend/"
               "populate_exit_trend with enter_long/exit_long columns", strategy=cls.name)]


def _required_members(cls: StrategyClass, file: str) -> list[Finding]:
    rule, out = rules.REQUIRED_MEMBERS, []
    for old, new in V2_METHODS.items():
        if old in cls.methods and new not in cls.methods:
            out.append(at(rules.INTERFACE_2_NAMES, file, cls.methods[old], f"{cls.name}.{old} is the interface-2 "
                          f"name of {new}: Freqtrade still runs it, with the same results",
                          f"rename it to {new} and set enter_long/exit_long instead of buy/sell", strategy=cls.name))
    for name in SIGNAL_METHODS:
        if name not in cls.methods and not (name != "populate_indicators" and any(
                old in cls.methods and V2_METHODS[old] == name for old in V2_METHODS)):
            out.append(at(rule, file, cls.node, f"{cls.name} does not define {name}()",
                          f"add `def {name}(self, dataframe: DataFrame, metadata: dict) -> DataFrame`",
                          strategy=cls.name))
    if "stoploss" not in cls.attributes:
        out.append(at(rule, file, cls.node, f"{cls.name} has no stoploss; Freqtrade refuses to load it",
                      "add a class attribute such as `stoploss = -0.10`", strategy=cls.name))
    if "minimal_roi" not in cls.attributes:
        out.append(at(rule, file, cls.node, f"{cls.name} has no minimal_roi, so trades never take a ROI exit",
                      'add e.g. `minimal_roi = {"0": 0.05}` (or `{}` to rely on exit signals only, stated explicitly)',
                      strategy=cls.name, severity="warning"))
    if "timeframe" not in cls.attributes and metadata_call(cls) is None and cls.base != "TradAIStrategy":
        out.append(at(rule, file, cls.node, f"{cls.name} declares no timeframe, so each run's config decides it",
                      'add `timeframe = "5m"` (or the metadata field timeframe)', strategy=cls.name,
                      severity="warning"))
    return out


def loader_visible(cls: StrategyClass, text: str, file: str) -> list[Finding]:
    """Freqtrade's IResolver skips a file unless its text holds ``class <Name>(``: a class written
    ``class Name (IStrategy)`` parses and imports, but no backtest can load it by name."""
    if loader_finds(text, cls.name):
        return []
    return [at(rules.LOADER_VISIBLE, file, cls.node, f"Freqtrade cannot load {cls.name} by name: its loader looks for "
               f"the text `class {cls.name}(` and this file writes it differently", f"write `class {cls.name}("
               f"{cls.base}):` with no space or line break before the parenthesis", strategy=cls.name)]


def loader_finds(text: str, class_name: str) -> bool:
    return f"class {class_name}(" in text


def _metadata(cls: StrategyClass, file: str) -> list[Finding]:
    call = metadata_call(cls)
    if "strategy_metadata" not in cls.attributes:
        if cls.base == "TradAIStrategy":
            return [at(rules.METADATA_MISSING, file, cls.node, f"{cls.name} extends TradAIStrategy but has no "
                       "strategy_metadata; it fails to load", "add `strategy_metadata = StrategyMetadata(name=..., "
                       "version=..., description=..., author=..., timeframe=..., exchange=..., trading_mode=..., "
                       "default_pairs=[...])`", strategy=cls.name)]
        if cls.base == "IStrategy":
            return [at(rules.METADATA_MISSING, file, cls.node, f"{cls.name} is a plain IStrategy without tradai "
                       "metadata (version, author, trading mode, default pairs)", "derive from "
                       "tradai.TradAIStrategy and add `strategy_metadata = StrategyMetadata(...)`", strategy=cls.name,
                       severity="warning")]
        return []  # inherited from its parent strategy
    node = cls.targets["strategy_metadata"]
    if call is None:
        return [at(rules.METADATA_INVALID, file, node, f"{cls.name}.strategy_metadata is not a StrategyMetadata(...) "
                   "call", "write `strategy_metadata = StrategyMetadata(...)` (from tradai import StrategyMetadata)",
                   strategy=cls.name)]
    values, dynamic = metadata_fields(cls)
    if dynamic:
        return [at(rules.METADATA_INVALID, file, call, f"{cls.name}.strategy_metadata fields {', '.join(dynamic)} are "
                   "not literals, so lint cannot check them", "write the metadata as literal values",
                   strategy=cls.name, severity="info")]
    StrategyMetadata, StrategyMetadataError = _metadata_classes()
    try:
        StrategyMetadata(**values).validate(cls.name)
    except TypeError as exc:  # an unknown keyword
        return [at(rules.METADATA_INVALID, file, call, f"{cls.name}.strategy_metadata: {exc}",
                   "use only the fields name, version, description, author, tags, timeframe, exchange, "
                   "trading_mode, default_pairs", strategy=cls.name)]
    except StrategyMetadataError as exc:
        field_node = next((k for k in call.keywords if k.arg == exc.field), call)
        return [at(rules.METADATA_INVALID, file, field_node, str(exc), f"fix the {exc.field or 'metadata'} field: "
                   f"{exc.problem}", strategy=cls.name)]
    timeframe = cls.attributes.get("timeframe")
    if timeframe is not None:
        try:
            own = literal(timeframe)
        except ValueError:
            own = None
        if own is not None and own != values.get("timeframe"):
            return [at(rules.METADATA_INVALID, file, cls.targets["timeframe"], f"{cls.name}.timeframe = {own!r} "
                       f"disagrees with strategy_metadata.timeframe = {values.get('timeframe')!r}; it fails to load",
                       "make them equal, or drop the class attribute (TradAIStrategy sets it from the metadata)",
                       strategy=cls.name)]
    return []


@cache
def _metadata_classes():
    """tradai's own StrategyMetadata validation, loaded from tradai/metadata.py alone: importing the
    tradai package imports Freqtrade (seconds), and lint must stay fast enough for a pre-commit hook."""
    name = "_tradai_lint_metadata"
    if name not in sys.modules:
        package = importlib.util.find_spec("tradai")
        location = next(iter(package.submodule_search_locations))
        spec = importlib.util.spec_from_file_location(name, f"{location}/metadata.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses look the module up while building the class
        spec.loader.exec_module(module)
    module = sys.modules[name]
    return module.StrategyMetadata, module.StrategyMetadataError
