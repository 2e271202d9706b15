"""A strategy file as a syntax tree: its strategy classes, their attributes and methods.

Nothing is imported or executed: lint must work on a file that does not load, and must never
run a strategy's code to judge it.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

STRATEGY_BASES = {"IStrategy", "TradAIStrategy"}
# Methods Freqtrade runs once over the whole candle frame in a backtest (vectorized): anything that
# reads a later row there sees the future. Callbacks (custom_stoploss, confirm_trade_entry, ...)
# get a frame cut at the current candle, so iloc[-1] there is the current candle and fine.
VECTORIZED_PREFIX = "populate_"
# FreqAI labels are built from the future on purpose; Freqtrade keeps them out of the signals.
FUTURE_ALLOWED = {"set_freqai_targets"}


@dataclass
class StrategyClass:
    node: ast.ClassDef
    base: str  # "TradAIStrategy", "IStrategy", or the name of a strategy class it inherits from
    attributes: dict[str, ast.AST] = field(default_factory=dict)  # name -> value node
    targets: dict[str, ast.AST] = field(default_factory=dict)  # name -> assignment node (for positions)
    methods: dict[str, ast.FunctionDef] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.node.name

    @property
    def direct(self) -> bool:
        """Derives straight from IStrategy/TradAIStrategy, so every member must be in this class."""
        return self.base in STRATEGY_BASES

    def vectorized_methods(self) -> list[ast.FunctionDef]:
        return [m for name, m in self.methods.items() if name.startswith(VECTORIZED_PREFIX) or _is_informative(m)]


@dataclass
class SourceFile:
    path: Path
    text: str
    tree: ast.Module
    classes: list[StrategyClass]


def parse(path: Path) -> SourceFile:
    """Raises SyntaxError (with lineno/offset) for a file that does not parse."""
    text = path.read_text(encoding="utf-8")
    tree = ast.parse(text, filename=str(path))
    return SourceFile(path, text, tree, strategy_classes(tree))


def strategy_classes(tree: ast.Module) -> list[StrategyClass]:
    """Top-level classes that derive (directly, or through another class of this file) from
    IStrategy/TradAIStrategy, or from an imported class whose name ends in ``Strategy``
    (a strategy built on another strategy file)."""
    imported = _imported_names(tree)
    found: dict[str, StrategyClass] = {}
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        for base in (_base_name(b) for b in node.bases):
            if base in STRATEGY_BASES or base in found or (base in imported and base.endswith("Strategy")):
                found[node.name] = _describe(node, base)
                break
    return list(found.values())


def _describe(node: ast.ClassDef, base: str) -> StrategyClass:
    cls = StrategyClass(node, base)
    for stmt in node.body:
        if isinstance(stmt, ast.Assign):
            for target in stmt.targets:
                if isinstance(target, ast.Name):
                    cls.attributes[target.id] = stmt.value
                    cls.targets[target.id] = stmt
        elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.value is not None:
            cls.attributes[stmt.target.id] = stmt.value
            cls.targets[stmt.target.id] = stmt
        elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            cls.methods[stmt.name] = stmt
    return cls


def _base_name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):  # freqtrade.strategy.IStrategy
        return node.attr
    return ""


def _imported_names(tree: ast.Module) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            names.update(alias.asname or alias.name for alias in node.names)
    return names


def _is_informative(method: ast.FunctionDef) -> bool:
    for deco in method.decorator_list:
        target = deco.func if isinstance(deco, ast.Call) else deco
        if _base_name(target) == "informative":
            return True
    return False


def call_name(node: ast.Call) -> str:
    """``x.y.shift(...)`` -> "shift"; ``merge(...)`` -> "merge"."""
    return _base_name(node.func)


def literal(node: ast.AST | None):
    """The Python value of a literal expression (-1, "5m", [..]), else raises ValueError."""
    if node is None:
        raise ValueError("no value")
    return ast.literal_eval(node)


def keyword(node: ast.Call, name: str) -> ast.AST | None:
    return next((k.value for k in node.keywords if k.arg == name), None)


def calls(root: ast.AST) -> list[ast.Call]:
    return [n for n in ast.walk(root) if isinstance(n, ast.Call)]
