"""TRD201-203: hyperoptable parameters and startup_candle_count."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any

from . import rules
from .model import Finding, at
from .source import StrategyClass, call_name, calls, keyword, literal

NUMERIC = {"IntParameter", "DecimalParameter", "RealParameter"}
PARAMETERS = NUMERIC | {"CategoricalParameter", "BooleanParameter"}
AUTO_SPACES = ("buy", "sell", "enter", "exit", "protection")  # freqtrade.strategy.hyper.detect_all_parameters
WINDOW_KEYWORDS = {"timeperiod", "window", "period", "length", "span", "fastperiod", "slowperiod", "signalperiod",
                   "timeperiod1", "timeperiod2", "timeperiod3", "lookback", "fastk_period", "slowk_period",
                   "slowd_period", "fastd_period"}
TALIB_MODULES = {"ta", "talib", "pta"}


@dataclass
class Parameter:
    name: str
    kind: str
    node: ast.Call
    high: Any = None


def parameters(cls: StrategyClass) -> dict[str, Parameter]:
    out = {}
    for name, value in cls.attributes.items():
        if isinstance(value, ast.Call) and call_name(value) in PARAMETERS:
            param = Parameter(name, call_name(value), value)
            if param.kind in NUMERIC:
                param.high = _bounds(value)[1]
            out[name] = param
    return out


def check(cls: StrategyClass, file: str) -> list[Finding]:
    params = parameters(cls)
    out = []
    for param in params.values():
        out += _space(param, cls, file) + _range(param, cls, file)
    return out + _startup(cls, params, file)


def _space(param: Parameter, cls: StrategyClass, file: str) -> list[Finding]:
    node = keyword(param.node, "space")
    if node is None:
        if param.name.startswith(tuple(f"{s}_" for s in AUTO_SPACES)):
            return []
        return [at(rules.PARAMETER_SPACE, file, param.node, f"{cls.name}.{param.name} has no space and its name has no "
                   f"{'/'.join(s + '_' for s in AUTO_SPACES)} prefix: Freqtrade refuses to load the strategy",
                   f'add space="buy" (or "sell", ...) to {param.kind}(...)', strategy=cls.name)]
    try:
        space = literal(node)
    except ValueError:
        return []
    if not isinstance(space, str) or space in ("all", "default") or not space.isidentifier():
        return [at(rules.PARAMETER_SPACE, file, node, f"{cls.name}.{param.name} has space={space!r}, which is not a "
                   "usable hyperopt space", 'use "buy", "sell" or another identifier other than all/default',
                   strategy=cls.name)]
    return []


def _range(param: Parameter, cls: StrategyClass, file: str) -> list[Finding]:
    where = f"{cls.name}.{param.name}"
    default_node = keyword(param.node, "default")
    if param.kind == "BooleanParameter":
        return []
    if default_node is None and param.kind != "CategoricalParameter":
        return [at(rules.PARAMETER_BOUNDS, file, param.node, f"{where} has no default", "add default=... inside the "
                   "range (Freqtrade requires it, and it is the value a backtest uses)", strategy=cls.name)]
    default = _literal_or(default_node)
    if param.kind == "CategoricalParameter":
        categories = _literal_or(param.node.args[0] if param.node.args else keyword(param.node, "categories"))
        if isinstance(categories, (list, tuple)):
            if len(categories) < 2:
                return [at(rules.PARAMETER_BOUNDS, file, param.node, f"{where} has fewer than two categories",
                           "list at least two choices, or make it a plain class attribute", strategy=cls.name)]
            if default_node is not None and default is not _UNKNOWN and default not in categories:
                return [_default(param, cls, file, default_node, f"{default!r} is not one of {list(categories)!r}",
                                 "pick a default among the categories")]
        return []
    low, high = _bounds(param.node)
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (low, high)):
        return []
    if low >= high:
        return [at(rules.PARAMETER_BOUNDS, file, param.node, f"{where} has low {low} >= high {high}: there is "
                   "nothing to search", "make low smaller than high", strategy=cls.name)]
    if isinstance(default, (int, float)) and not isinstance(default, bool) and not low <= default <= high:
        return [_default(param, cls, file, default_node, f"{default} lies outside [{low}, {high}]",
                         "move the default inside the range (or widen the range)")]
    return []


def _default(param: Parameter, cls: StrategyClass, file: str, node: ast.AST, problem: str, fix: str) -> Finding:
    """A default outside the values is only a warning: Freqtrade runs with it (or with the value of
    buy_params/sell_params, which then override it); hyperopt simply never proposes it."""
    override = _override(cls, param.name)
    runs = (f"{override[0]} overrides it with {override[1]!r}, so runs use that value" if override
            else "runs use it as it is, but hyperopt never proposes it")
    return at(rules.PARAMETER_DEFAULT, file, node, f"{cls.name}.{param.name} default {problem}; {runs}", fix,
              strategy=cls.name)


def _override(cls: StrategyClass, name: str) -> tuple[str, Any] | None:
    """``buy_params = {"buy_rsi": 30}`` (and the other spaces' dicts) on the class."""
    for attr, node in cls.attributes.items():
        if attr.endswith("_params") and isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values):
                if isinstance(key, ast.Constant) and key.value == name:
                    return attr, _literal_or(value, ast.unparse(value))
    return None


def _startup(cls: StrategyClass, params: dict[str, Parameter], file: str) -> list[Finding]:
    longest: tuple[int, ast.AST, str] | None = None
    for method in cls.vectorized_methods():
        bound = _bound_names(method, params)
        for call in calls(method):
            for node in _window_args(call):
                value, how = _resolve(node, params, bound)
                if value is not None and (longest is None or value > longest[0]):
                    longest = (value, call, how)
    if longest is None:
        return []
    value_node = cls.attributes.get("startup_candle_count")
    if value_node is None and not cls.direct:
        return []  # inherited
    startup = _literal_or(value_node) if value_node is not None else 0
    if not isinstance(startup, int) or startup >= longest[0]:
        return []
    window, call, how = longest
    target = cls.targets.get("startup_candle_count", cls.node)
    return [at(rules.STARTUP_CANDLES, file, target, f"{cls.name}.startup_candle_count is {startup} but "
               f"{ast.unparse(call.func)}(...) at line {call.lineno} uses a window of {window}{how}: the first "
               "candles of every backtest get unsettled indicator values", f"set startup_candle_count = {window} or "
               "more (about 3x the window for EMA-like indicators)", strategy=cls.name)]


# --- helpers -------------------------------------------------------------------------------------

_UNKNOWN = object()


def _literal_or(node: ast.AST | None, default: Any = _UNKNOWN) -> Any:
    try:
        return literal(node)
    except ValueError:
        return default


def _bounds(call: ast.Call) -> tuple[Any, Any]:
    """IntParameter(low, high, ...), IntParameter([low, high], ...) or low=/high= keywords."""
    first = _literal_or(call.args[0]) if call.args else _literal_or(keyword(call, "low"))
    if isinstance(first, (list, tuple)) and len(first) == 2:
        return first[0], first[1]
    high = _literal_or(call.args[1]) if len(call.args) > 1 else _literal_or(keyword(call, "high"))
    return first, high


def _window_args(call: ast.Call) -> list[ast.AST]:
    args = [k.value for k in call.keywords if k.arg in WINDOW_KEYWORDS]
    name = call_name(call)
    if name == "rolling" and call.args:
        args.append(call.args[0])
    # talib.abstract style: ta.EMA(dataframe, 50)
    func = call.func
    if (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in TALIB_MODULES
            and len(call.args) >= 2):
        args.append(call.args[1])
    return args


def _bound_names(method: ast.FunctionDef, params: dict[str, Parameter]) -> dict[str, tuple[int, str]]:
    """Local names whose value is a parameter's value: ``for p in self.x.range``, ``p = self.x.value``,
    ``for p in range(a, b)``."""
    bound: dict[str, tuple[int, str]] = {}
    for node in ast.walk(method):
        if isinstance(node, ast.For) and isinstance(node.target, ast.Name):
            value = _resolve_iterable(node.iter, params)
            if value:
                bound[node.target.id] = value
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            value, how = _resolve(node.value, params, {})
            if value is not None:
                bound[node.targets[0].id] = (value, how)
    return bound


def _resolve_iterable(node: ast.AST, params: dict[str, Parameter]) -> tuple[int, str] | None:
    param = _param_ref(node, params, "range")
    if param and isinstance(param.high, int):
        return param.high, f" (the high bound of {param.name})"
    if isinstance(node, ast.Call) and call_name(node) == "range" and isinstance(node.func, ast.Name) and node.args:
        stop = _literal_or(node.args[1] if len(node.args) > 1 else node.args[0])
        if isinstance(stop, int):
            return stop - 1, ""
    return None


def _resolve(node: ast.AST, params: dict[str, Parameter], bound: dict[str, tuple[int, str]]) -> tuple[Any, str]:
    value = _literal_or(node)
    if isinstance(value, int) and not isinstance(value, bool):
        return value, ""
    param = _param_ref(node, params, "value")
    if param and isinstance(param.high, (int, float)):
        return int(param.high), f" (the high bound of {param.name})"
    if isinstance(node, ast.Name) and node.id in bound:
        return bound[node.id]
    return None, ""


def _param_ref(node: ast.AST, params: dict[str, Parameter], attr: str) -> Parameter | None:
    """``self.<param>.<attr>``"""
    if (isinstance(node, ast.Attribute) and node.attr == attr and isinstance(node.value, ast.Attribute)
            and isinstance(node.value.value, ast.Name) and node.value.value.id == "self"):
        return params.get(node.value.attr)
    return None
