"""TRD103/107/108: one value computed over the whole candle frame, future candles included.

Freqtrade runs populate_* once over every candle of a backtest. ``df["close"].max()`` there is the
maximum of the whole timerange, so a min/max normalisation, a z-score, a scaler fitted with
``fit_transform`` or a percentile ``rank(pct=True)`` gives each early candle knowledge of prices
that came later. Live, the same code sees only the candles so far: the backtest promises what live
trading cannot deliver. Trailing windows (``rolling(n)``, ``expanding()``, ``ewm()``) are fine.

Real strategies rarely write this inline: they call a helper (``def normalize(df): return (df -
df.min()) / (df.max() - df.min())``). So the analysis follows calls: from each populate_* method
into functions of the strategy module, methods of the class and functions of modules imported
from the strategy's own folder, binding the parameters that receive the frame or one of its
columns. A leak found in a helper is reported twice: at the offending expression and at the call
site in populate_*.

What counts as "the whole frame": the populate_* frame parameter, a column of it (``df["x"]``,
``df.close``, ``df[col]``), and anything computed element-wise from those (arithmetic, ``.values``,
``.fillna()``, ``np.log(...)``, talib/qtpylib indicators, a name assigned from one). A windowed
chain (rolling/expanding/ewm/groupby/resample) or a positional slice (iloc/loc/head/tail) is not.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

from . import rules
from .model import Finding, at
from .source import StrategyClass, call_name, keyword

AGGREGATES = {"mean", "max", "min", "std", "var", "median", "sum", "quantile", "idxmax", "idxmin", "mad", "sem",
              "skew", "kurt", "ptp", "nunique", "describe"}
WINDOWED = {"rolling", "expanding", "ewm", "groupby", "resample"}
SLICES = {"iloc", "loc", "iat", "at"}
# Methods that keep the result one value per candle of the same (whole) series.
ELEMENTWISE_METHODS = {"to_numpy", "reshape", "fillna", "ffill", "pad", "dropna", "astype", "copy", "abs", "pct_change",
                       "diff", "shift", "clip", "replace", "round", "to_frame", "where", "mask", "apply", "transform",
                       "add", "sub", "mul", "div", "truediv", "pow", "log", "sqrt", "cumsum", "cumprod", "cummax",
                       "cummin", "interpolate", "squeeze", "drop", "assign", "select_dtypes", "filter"}
ELEMENTWISE_ATTRS = {"values", "array", "T"}
# Frames of other pairs/timeframes, also whole in populate_* (informative data).
FRAME_SOURCES = {"get_pair_dataframe", "get_analyzed_dataframe", "historic_ohlcv"}
OHLCV = {"open", "high", "low", "close", "volume"}
# Module-level functions whose result is one value per candle of their (whole) argument.
ELEMENTWISE_FUNCTIONS = {"array", "asarray", "log", "log1p", "abs", "sqrt", "exp", "column_stack", "vstack", "hstack",
                         "stack", "concat", "nan_to_num", "where", "DataFrame", "Series", "reshape"}
INDICATOR_MODULES = {"ta", "talib", "pta", "qtpylib", "ftt", "pandas_ta", "tti"}
NUMPY_MODULES = {"np", "numpy", "pd", "pandas"}
# Whole-series statistics as functions: np.max(s), pd.qcut(s, 5), scipy.stats.zscore(s).
AGGREGATE_FUNCTIONS = AGGREGATES | {"nanmax", "nanmin", "nanmean", "nanstd", "percentile", "nanpercentile", "qcut",
                                    "amax", "amin", "average"}
BUILTIN_AGGREGATES = {"max", "min", "sum", "sorted"}
SCALING_FUNCTIONS = {"zscore", "minmax_scale", "scale", "robust_scale", "maxabs_scale", "quantile_transform"}
FIT_METHODS = {"fit", "fit_transform", "fit_predict", "partial_fit"}
MAX_DEPTH = 4


@dataclass
class Function:
    node: ast.FunctionDef
    file: str
    is_method: bool  # first parameter is self/cls: not bound by the caller's arguments


@dataclass
class Module:
    """The callables a populate_* method can reach, by the name it calls them with."""

    functions: dict[str, Function] = field(default_factory=dict)  # normalize(...)
    methods: dict[str, Function] = field(default_factory=dict)  # self.normalize(...)
    modules: dict[str, dict[str, Function]] = field(default_factory=dict)  # helpers.normalize(...)


def module_of(tree: ast.Module, file: Path, cls: StrategyClass) -> Module:
    module = Module()
    module.functions = _functions(tree, str(file))
    module.methods = {name: Function(m, str(file), True) for name, m in cls.methods.items()}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.level in (0, 1) and node.module:
            local = _local_functions(file, node.module)
            for alias in node.names:
                if alias.name in local:
                    module.functions[alias.asname or alias.name] = local[alias.name]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                local = _local_functions(file, alias.name)
                if local:
                    module.modules[alias.asname or alias.name] = local
    return module


def check(cls: StrategyClass, module: Module, file: str) -> list[Finding]:
    out: list[Finding] = []
    for method in cls.vectorized_methods():
        params = [a.arg for a in method.args.args[1:] if a.arg != "metadata"][:1]  # the frame
        out += _Walker(cls.name, module, file, method, set(params), caller=None, depth=0).run()
    return _unique(out)


class _Walker:
    """One function body with a known set of whole-frame names."""

    def __init__(self, strategy: str, module: Module, file: str, func: ast.FunctionDef, whole: set[str],
                 caller: str | None, depth: int):
        self.strategy, self.module, self.file, self.func = strategy, module, file, func
        self.whole, self.caller, self.depth = set(whole), caller, depth
        self.findings: list[Finding] = []

    def run(self) -> list[Finding]:
        self._bind_names()
        for node in ast.walk(self.func):
            if isinstance(node, ast.Call):
                self._call(node)
        return self.findings

    # --- what is whole ---------------------------------------------------------------------------

    def _bind_names(self) -> None:
        """Names assigned from a whole expression, until nothing changes (assignments in any order)."""
        for _ in range(3):
            before = len(self.whole)
            for node in ast.walk(self.func):
                if isinstance(node, ast.Assign) and self.is_whole(node.value):
                    for target in node.targets:
                        self.whole.update(_names(target))
                elif isinstance(node, (ast.AnnAssign, ast.AugAssign)) and node.value is not None \
                        and isinstance(node.target, ast.Name) and self.is_whole(node.value):
                    self.whole.add(node.target.id)
            if len(self.whole) == before:
                return

    def is_whole(self, node: ast.AST | None) -> bool:
        if node is None:
            return False
        if isinstance(node, ast.Name):
            return node.id in self.whole
        if isinstance(node, ast.Subscript):
            if isinstance(node.value, ast.Attribute) and node.value.attr in SLICES:
                return _full_slice(node.slice) and self.is_whole(node.value.value)
            return self.is_whole(node.value)  # a column, columns, or a boolean mask of the frame
        if isinstance(node, ast.Attribute):
            return (node.attr in OHLCV or node.attr in ELEMENTWISE_ATTRS) and self.is_whole(node.value)
        if isinstance(node, ast.BinOp):
            return self.is_whole(node.left) or self.is_whole(node.right)
        if isinstance(node, ast.UnaryOp):
            return self.is_whole(node.operand)
        if isinstance(node, (ast.List, ast.Tuple)):
            return any(self.is_whole(e) for e in node.elts)
        if isinstance(node, ast.Call):
            name = call_name(node)
            func = node.func
            if isinstance(func, ast.Attribute) and self.is_whole(func.value):
                return name in ELEMENTWISE_METHODS
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) \
                    and func.value.id in INDICATOR_MODULES:
                return any(self.is_whole(a) for a in node.args)
            if name in ELEMENTWISE_FUNCTIONS:
                return any(self.is_whole(a) for a in node.args)
            return name in FRAME_SOURCES and self.caller is None
        return False

    # --- findings --------------------------------------------------------------------------------

    def _call(self, node: ast.Call) -> None:
        name, func = call_name(node), node.func
        receiver = func.value if isinstance(func, ast.Attribute) else None
        if receiver is not None and self.is_whole(receiver) and not _windowed(receiver):
            if name in AGGREGATES and not _row_wise(node, name):
                self._leak(rules.WHOLE_SERIES_AGGREGATE, node, f"{_short(node)} is one value computed over every "
                           "candle of the run, future candles included",
                           f"use a trailing window: {_short(receiver)}.rolling(N).{name}() (or .expanding()."
                           f"{name}() for all candles so far)")
                return
            if name == "rank" and not _row_wise(node, name):
                self._leak(rules.WHOLE_SERIES_RANK, node, f"{_short(node)} ranks each candle against every candle "
                           "of the run, later ones included", f"rank within a trailing window: {_short(receiver)}"
                           ".rolling(N).rank(pct=True)")
                return
        if name in FIT_METHODS and any(self.is_whole(a) for a in node.args):
            self._leak(rules.WHOLE_SERIES_FIT, node, f"{_short(node)} fits on every candle of the run: the scaler's "
                       "min/max/mean (or the model) already knows the future candles",
                       "fit on a trailing window only (refit every N candles on rows before the current one), or "
                       "use rolling statistics: (x - x.rolling(N).min()) / (x.rolling(N).max() - x.rolling(N).min())")
            return
        whole_args = [a for a in node.args if self.is_whole(a)]
        if whole_args and (isinstance(func, ast.Name) or _module_call(func)):
            if name in SCALING_FUNCTIONS:
                self._leak(rules.WHOLE_SERIES_FIT, node, f"{_short(node)} scales with statistics of every candle "
                           "of the run, future candles included", "scale with trailing statistics: (x - "
                           "x.rolling(N).mean()) / x.rolling(N).std()")
                return
            builtin = isinstance(func, ast.Name) and name in BUILTIN_AGGREGATES and len(node.args) == 1
            if builtin or (_module_call(func, NUMPY_MODULES) and name in AGGREGATE_FUNCTIONS):
                self._leak(rules.WHOLE_SERIES_AGGREGATE, node, f"{_short(node)} is one value computed over every "
                           "candle of the run, future candles included", "use a trailing window: "
                           f"{_short(whole_args[0])}.rolling(N).max() / .min() / .mean() ...")
                return
        self._follow(node)

    def _follow(self, node: ast.Call) -> None:
        if self.depth >= MAX_DEPTH:
            return
        target = self._callee(node.func)
        if target is None or target.node is self.func:
            return
        params = [a.arg for a in target.node.args.args[(1 if target.is_method else 0):]]
        bound = {params[i] for i, a in enumerate(node.args[:len(params)]) if self.is_whole(a)}
        bound |= {k.arg for k in node.keywords if k.arg in params and self.is_whole(k.value)}
        if not bound:
            return
        where = f"{target.node.name}()"
        inner = _Walker(self.strategy, self.module, target.file, target.node, bound,
                        caller=f"{self.func.name}() at line {node.lineno}", depth=self.depth + 1).run()
        self.findings += inner
        for finding in [f for f in inner if f.file != self.file or f.line != node.lineno][:1]:
            place = f"{Path(finding.file).name}:{finding.line}"
            self.findings.append(at(finding.rule, self.file, node, f"{self.func.name}() passes the whole frame to "
                                    f"{where}, where {finding.message.split(': ', 1)[-1]} ({place})",
                                    f"fix {where} at {place}: {finding.fix}", strategy=self.strategy))

    def _callee(self, func: ast.AST) -> Function | None:
        if isinstance(func, ast.Name):
            return self.module.functions.get(func.id)
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            if func.value.id in ("self", "cls"):
                return self.module.methods.get(func.attr)
            return self.module.modules.get(func.value.id, {}).get(func.attr)
        return None

    def _leak(self, rule, node: ast.AST, what: str, fix: str) -> None:
        context = f"in {self.func.name}()" + (f", called from {self.caller}" if self.caller else "")
        self.findings.append(at(rule, self.file, node, f"{context}: {what}", fix, strategy=self.strategy))


# --- helpers -------------------------------------------------------------------------------------


def _functions(tree: ast.Module, file: str) -> dict[str, Function]:
    return {n.name: Function(n, file, False) for n in tree.body if isinstance(n, ast.FunctionDef)}


def _local_functions(file: Path, module: str) -> dict[str, Function]:
    """Top-level functions of ``module`` when it is a file in the strategy's own folder."""
    candidate = file.parent.joinpath(*module.split(".")).with_suffix(".py")
    if not candidate.is_file() or candidate.resolve() == file.resolve():
        return {}
    try:
        tree = ast.parse(candidate.read_text(encoding="utf-8"), filename=str(candidate))
    except (SyntaxError, ValueError, UnicodeDecodeError, OSError):
        return {}
    return _functions(tree, str(candidate))


def _names(target: ast.AST) -> list[str]:
    """x = ... and x, y = ...: never the receiver of an attribute or item assignment (self.x = ...)."""
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, (ast.Tuple, ast.List)):
        return [n for e in target.elts for n in _names(e)]
    return []


def _module_call(func: ast.AST, modules: set[str] | None = None) -> bool:
    """np.max(...), scipy.stats.zscore(...): a function reached through a module name."""
    if not isinstance(func, ast.Attribute):
        return False
    root = func.value
    while isinstance(root, ast.Attribute):
        root = root.value
    return isinstance(root, ast.Name) and root.id not in ("self", "cls") and (modules is None or root.id in modules)


def _row_wise(node: ast.Call, name: str) -> bool:
    """max(axis=1) / max(1) / rank(axis="columns"): across the columns of one row, no lookahead."""
    axis = keyword(node, "axis")
    if axis is None and node.args and name != "quantile":
        axis = node.args[0]
    return isinstance(axis, ast.Constant) and axis.value in (1, "columns")


def _full_slice(index: ast.AST) -> bool:
    """.loc[:, "close"] selects a whole column; any other iloc/loc is a positional cut."""
    first = index.elts[0] if isinstance(index, ast.Tuple) and index.elts else index
    return isinstance(first, ast.Slice) and first.lower is None and first.upper is None


def _windowed(node: ast.AST) -> bool:
    while True:
        if isinstance(node, ast.Call):
            if call_name(node) in WINDOWED:
                return True
            node = node.func
        elif isinstance(node, (ast.Attribute, ast.Subscript)):
            node = node.value
        else:
            return False


def _short(node: ast.AST, limit: int = 60) -> str:
    text = ast.unparse(node)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _unique(findings: list[Finding]) -> list[Finding]:
    """A helper called from two populate_* methods leaks once per place."""
    seen, out = set(), []
    for f in findings:
        key = (f.rule.id, f.file, f.line, f.column)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out
