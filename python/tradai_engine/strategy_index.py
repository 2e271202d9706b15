"""The strategies of a folder read from their source, without importing Freqtrade (milliseconds, not seconds).

One lookup for every command: list, show, lint, backtest, hyperopt and register resolve a name to a
file and class here (``resolve``), so they agree on what exists and what cannot load. The load
status is decided from the source the way Freqtrade would fail:

- the file does not parse (SyntaxError, at its line);
- a module-level import names a module that is not installed and not beside the file
  (ModuleNotFoundError, at the import line);
- Freqtrade's loader cannot find the class by name: it skips every file whose text lacks
  ``class <Name>(`` verbatim (lint rule TRD005);
- a TradAIStrategy's metadata is missing or fails the validation TradAIStrategy runs at load.

Only a file the source cannot answer for is imported (its strategy derives from a strategy of
another file, or its metadata is not literal); such entries say ``source: "import"``. Errors that
appear only when the code runs (a NameError in a class body) surface when the file is imported by
show/backtest, still as a load error with file and line.
"""

from __future__ import annotations

import ast
import importlib.util
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .protocol import BridgeError
from .strategies import strategy_files


@dataclass
class IndexEntry:
    name: str
    class_name: str | None
    file: str
    line: int | None
    base_class: str | None
    metadata: dict | None
    timeframe: str | None = None
    # None when the source does not say it literally (the class must be imported to know).
    startup_candle_count: int | None = None
    parameters: list[dict[str, Any]] = field(default_factory=list)
    error: dict | None = None
    source: str = "static"  # "static" (read from the source) or "import" (the file had to be imported)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "className": self.class_name,
            "file": self.file,
            "line": self.line,
            "baseClass": self.base_class,
            "metadata": self.metadata,
            "timeframe": self.timeframe,
            "startupCandleCount": self.startup_candle_count,
            "parameters": self.parameters,
            "status": "error" if self.error else "ok",
            "error": self.error,
            "source": self.source,
        }


def scan(strategy_path: str, cached: bool = False) -> list[IndexEntry]:
    """Every strategy file's entries. ``cached`` (strategy list): reuse what strategy_index_cache
    kept for files, folders and context that did not change."""
    from .strategy_index_cache import IndexCache

    cache = IndexCache.open() if cached else None
    entries: list[IndexEntry] = []
    for file in strategy_files(strategy_path):
        resolved = file.resolve()
        found = cache.get(resolved) if cache else None
        if found is None:
            found = read_file(resolved)
            if cache:
                cache.put(resolved, found)
        entries += found
    if cache:
        cache.save()
    return entries


def resolve(strategy_path: str, name: str) -> IndexEntry:
    """The entry whose class or metadata name is ``name``: STRATEGY_LOAD (exit 2, file and line)
    when it cannot load, STRATEGY_NOT_FOUND (exit 5, with the names found) when nothing matches."""
    entries = scan(strategy_path)
    for entry in entries:
        if name in (entry.class_name, entry.name) or (entry.error and entry.class_name is None
                                                       and _mentions_class(entry.file, name)):
            if entry.error:
                raise load_error(name, entry.error)
            return entry
    broken = [e.error for e in entries if e.error]
    available = sorted({e.class_name for e in entries if e.class_name and not e.error})
    raise BridgeError(
        "STRATEGY_NOT_FOUND",
        f"no strategy named {name!r} in {strategy_path}" + (f"; found: {', '.join(available)}" if available else ""),
        hint="`tradai strategy list` shows the strategies found"
        + (f"; {len(broken)} file(s) failed to load and may hold it" if broken else ""),
        details={"available": available, "failed": broken},
    )


def load_error(name: str, error: dict) -> BridgeError:
    return BridgeError("STRATEGY_LOAD", f"strategy {name} cannot be loaded: {error['file']}:{error['line'] or '?'}: "
                       f"{error['message']}", hint=error.get("fix") or f"fix {error['file']}:{error['line']}",
                       details={"file": error["file"], "line": error["line"]})


def read_file(file: Path) -> list[IndexEntry]:
    from .lint import parameters as lint_parameters
    from .lint import rules, structure
    from .lint.source import parse

    try:
        source = parse(file)
    except SyntaxError as exc:
        line = exc.lineno if exc.filename in (None, str(file)) else None
        return [_broken(file, None, line, f"SyntaxError: {exc.msg}")]
    except (ValueError, UnicodeDecodeError) as exc:
        return [_broken(file, None, 1, f"{type(exc).__name__}: {exc}")]
    missing = _missing_import(source.tree, file)
    entries = []
    for cls in source.classes:
        values, dynamic = structure.metadata_fields(cls)
        entry = IndexEntry(
            name=values.get("name") or cls.name, class_name=cls.name, file=str(file), line=cls.node.lineno,
            base_class=cls.base if cls.direct else None, metadata=None,
            timeframe=_literal(cls.attributes.get("timeframe")) or values.get("timeframe"),
            startup_candle_count=_startup_candles(cls),
            parameters=[_parameter(p) for p in lint_parameters.parameters(cls).values()],
        )
        if missing:
            entry.error = _error(file, *missing)
        elif not structure.loader_finds(source.text, cls.name):
            entry.error = _error(file, cls.node.lineno, f"Freqtrade's loader cannot find class {cls.name}: it looks "
                                 f"for the text `class {cls.name}(` (no space before the parenthesis)",
                                 f"write `class {cls.name}({cls.base}):` (lint rule TRD005)")
        elif not cls.direct or dynamic:
            entries += _imported(file, cls.name)  # the source cannot say: ask Python
            continue
        elif cls.base == "TradAIStrategy":
            problems = [f for f in structure.check(cls, str(file)) if f.rule in (rules.METADATA_MISSING,
                        rules.METADATA_INVALID) and (f.severity or f.rule.severity) == "error"]
            if problems:
                entry.error = _error(file, problems[0].line, f"StrategyMetadataError: {problems[0].message}",
                                     problems[0].fix)
            else:
                entry.metadata = _metadata(values)
                entry.name = entry.metadata["name"]
        entries.append(entry)
    return entries


def _imported(file: Path, class_name: str) -> list[IndexEntry]:
    """Freqtrade's own answer for one file (imports Freqtrade once, then the file)."""
    from .strategies import _entries_of

    out = []
    for found in _entries_of(file):
        if found.class_name not in (class_name, None):
            continue
        cls = found.cls
        entry = IndexEntry(found.name, found.class_name, found.file, found.line, found.base_class, found.metadata,
                           error=found.error, source="import")
        if cls is not None:
            entry.timeframe = getattr(cls, "timeframe", None)
            entry.startup_candle_count = int(getattr(cls, "startup_candle_count", 0) or 0)
        out.append(entry)
    return out


def _startup_candles(cls) -> int | None:
    """The class's literal ``startup_candle_count``; unset on a direct subclass of a base: the base's 0."""
    node = cls.attributes.get("startup_candle_count")
    if node is None:
        return 0 if cls.direct else None
    value = _literal(node)
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _missing_import(tree: ast.Module, file: Path) -> tuple[int, str] | None:
    """(line, message) of the first module-level import Python cannot find; guarded imports
    (inside try/if) are skipped, as the file means to survive without them."""
    for node in tree.body:
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            if (file.parent / f"{top}.py").is_file() or (file.parent / top).is_dir():
                continue
            try:
                found = importlib.util.find_spec(top) is not None
            except (ImportError, ValueError):
                found = False
            if not found:
                return node.lineno, f"ModuleNotFoundError: No module named '{top}'"
    return None


def _mentions_class(file: str, name: str) -> bool:
    """A file that does not parse still names its classes in its text."""
    try:
        text = Path(file).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    import re

    return re.search(rf"^\s*class\s+{re.escape(name)}\b", text, re.MULTILINE) is not None


def _broken(file: Path, class_name: str | None, line: int | None, message: str) -> IndexEntry:
    return IndexEntry(class_name or file.stem, class_name, str(file), line, None, None, error=_error(file, line, message))


def _error(file: Path, line: int | None, message: str, fix: str | None = None) -> dict:
    out = {"message": message, "file": str(file), "line": line}
    if fix:
        out["fix"] = fix
    return out


def _metadata(values: dict[str, Any]) -> dict[str, Any]:
    from .lint.structure import _metadata_classes

    StrategyMetadata, _ = _metadata_classes()
    return StrategyMetadata(**values).to_dict()


def _parameter(param) -> dict[str, Any]:
    from .lint.parameters import AUTO_SPACES, _bounds
    from .lint.source import keyword

    space = _literal(keyword(param.node, "space"))
    if space is None:
        space = next((s for s in AUTO_SPACES if param.name.startswith(f"{s}_")), None)
    out: dict[str, Any] = {"name": param.name, "space": space, "type": param.kind.removesuffix("Parameter").lower()}
    if param.kind in ("IntParameter", "DecimalParameter", "RealParameter"):
        low, high = _bounds(param.node)
        number = (int, float)
        out.update(low=low if isinstance(low, number) else None, high=high if isinstance(high, number) else None)
    out["default"] = _literal(keyword(param.node, "default"))
    return out


def _literal(node: ast.AST | None) -> Any:
    if node is None:
        return None
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return None
