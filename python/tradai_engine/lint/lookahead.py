"""TRD101-106: code patterns that let a backtest see candles after the current one.

Freqtrade computes indicators and signals once over the whole candle frame of a backtest, so any
expression that reads a later row (negative shift, centred window, backward fill, a scalar over the
whole column, the frame's last row) leaks the future into earlier candles. Live, the same code sees
only the past: the backtest then promises what live trading cannot deliver.

Where a pattern is checked:
- negative shift, centred rolling, backward fill: anywhere in the file (helpers included) except
  set_freqai_targets, whose labels FreqAI builds from the future on purpose.
- whole-column aggregates, fits and ranks: wholeseries.py (follows calls into helpers).
- iloc/loc ahead, unshifted resample/merge: only in the vectorized
  methods (populate_*, @informative). In callbacks (custom_stoploss, confirm_trade_entry, ...)
  Freqtrade hands over a frame that ends at the current candle, so ``dataframe.iloc[-1]`` there is
  the current candle: correct, and not flagged.
"""

from __future__ import annotations

import ast

from . import rules
from .model import Finding, at
from .source import FUTURE_ALLOWED, SourceFile, StrategyClass, call_name, calls, keyword

BACKFILL_METHODS = {"bfill", "backfill"}
MERGES = {"merge", "merge_asof", "resample"}
INDEXERS = {"iloc", "loc", "iat", "at"}


def check_file(source: SourceFile, owner) -> list[Finding]:
    """Patterns that are wrong anywhere; ``owner(node)`` names the strategy a node belongs to."""
    file, out = str(source.path), []
    for node in _nodes_outside(source.tree, FUTURE_ALLOWED):
        if not isinstance(node, ast.Call):
            continue
        name = call_name(node)
        if name == "shift":
            periods = node.args[0] if node.args else keyword(node, "periods")
            if periods is not None and _is_negative(periods):
                out.append(at(rules.NEGATIVE_SHIFT, file, node, f"shift({ast.unparse(periods)}) moves later candles "
                              "onto earlier rows: each row sees the future", "use a positive shift (shift(1) = the "
                              "previous candle); to compare with the next candle, shift the other side back instead",
                              strategy=owner(node)))
        elif name == "rolling" and _is_true(keyword(node, "center")):
            out.append(at(rules.CENTERED_ROLLING, file, node, "rolling(..., center=True) puts half the window after "
                          "the current candle", "drop center=True: a trailing window ends at the current candle",
                          strategy=owner(node)))
        elif name in BACKFILL_METHODS and isinstance(node.func, ast.Attribute) or (
                name == "fillna" and _const(keyword(node, "method")) in BACKFILL_METHODS):
            out.append(at(rules.BACKFILL, file, node, f"{ast.unparse(node)} fills a gap with the value of a "
                          "later candle", "use ffill() (carries the last known value forward) or leave the NaN "
                          "and guard the signal with notna()", strategy=owner(node)))
    return out


def check_vectorized(cls: StrategyClass, file: str) -> list[Finding]:
    out = []
    for method in cls.vectorized_methods():
        out += _index_ahead(method, cls, file) + _merges(method, cls, file)
    return out


def _index_ahead(method: ast.FunctionDef, cls: StrategyClass, file: str) -> list[Finding]:
    out = []
    for node in ast.walk(method):
        if not (isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute)
                and node.value.attr in INDEXERS):
            continue
        index = node.slice.elts[0] if isinstance(node.slice, ast.Tuple) and node.slice.elts else node.slice
        positional = node.value.attr in ("iloc", "iat")
        if positional and _is_negative(index):
            out.append(at(rules.INDEX_AHEAD, file, node, f"{ast.unparse(node)} in {method.name} reads the last rows "
                          "of the whole frame: in a backtest that is the end of the timerange, not the current candle",
                          "compute a column instead (e.g. dataframe['close'].shift(1)); read the latest candle in a "
                          "callback via self.dp.get_analyzed_dataframe(...).iloc[-1]", strategy=cls.name))
        elif _ahead(index.lower if isinstance(index, ast.Slice) else index):
            out.append(at(rules.INDEX_AHEAD, file, node, f"{ast.unparse(node)} in {method.name} reads a row after "
                          "the current one", "index the current or earlier rows only (i, i - 1), or use "
                          "shift(1) on the column", strategy=cls.name))
    return out


def _merges(method: ast.FunctionDef, cls: StrategyClass, file: str) -> list[Finding]:
    found = [c for c in calls(method) if call_name(c) in MERGES and isinstance(c.func, (ast.Attribute, ast.Name))]
    if not found or any(call_name(c) == "shift" and not _is_negative(c.args[0] if c.args else keyword(c, "periods"))
                        for c in calls(method)):
        return []
    return [at(rules.UNSHIFTED_MERGE, file, c, f"{call_name(c)}() in {method.name} with no shift(): a resampled or "
               "higher-timeframe candle is joined onto rows before it closed", "use freqtrade's "
               "merge_informative_pair() or the @informative decorator (they shift by one candle), or shift the "
               "resampled frame by one before merging", strategy=cls.name) for c in found]


# --- expression helpers --------------------------------------------------------------------------


def _nodes_outside(tree: ast.AST, skipped: set[str]):
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) and child.name in skipped:
                continue
            stack.append(child)


def _const(node: ast.AST | None):
    return node.value if isinstance(node, ast.Constant) else None


def _is_true(node: ast.AST | None) -> bool:
    return _const(node) is True


def _is_negative(node: ast.AST | None) -> bool:
    """-1, -n, -self.x.value: a minus sign on anything but a negative number."""
    if node is None:
        return False
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        return node.value < 0
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = node.operand
        return not (isinstance(inner, ast.Constant) and isinstance(inner.value, (int, float)) and inner.value <= 0)
    return False


def _ahead(node: ast.AST | None) -> bool:
    """i + 1, 1 + i, i - -1: an index past a loop variable."""
    if not isinstance(node, ast.BinOp):
        return False
    left, right = node.left, node.right
    if isinstance(node.op, ast.Add):
        return any(isinstance(s, ast.Constant) and isinstance(s.value, int) and s.value > 0
                   and not isinstance(o, ast.Constant) for s, o in ((right, left), (left, right)))
    if isinstance(node.op, ast.Sub):
        return _is_negative(right) and not isinstance(left, ast.Constant)
    return False
