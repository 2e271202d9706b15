"""Find strategy classes in a strategy folder the way Freqtrade's StrategyResolver does.

Every ``.py`` file is imported from its path (module name = file stem, its folder on sys.path while
it runs, like freqtrade.resolvers.IResolver); classes defined in that file that subclass IStrategy
are strategies. A file that fails to import becomes an error entry instead of aborting the scan.
"""

from __future__ import annotations

import ast
import importlib.util
import inspect
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .protocol import BridgeError


@dataclass
class StrategyEntry:
    name: str
    class_name: str | None
    file: str
    line: int | None
    base_class: str | None
    metadata: dict | None
    cls: type | None = None
    error: dict | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "className": self.class_name,
            "file": self.file,
            "line": self.line,
            "baseClass": self.base_class,
            "metadata": self.metadata,
            "status": "error" if self.error else "ok",
            "error": self.error,
        }


def strategy_files(strategy_path: str) -> list[Path]:
    root = Path(strategy_path)
    if root.is_file():
        return [root]
    if not root.is_dir():
        raise BridgeError(
            "USAGE",
            f"strategy path {strategy_path} does not exist",
            hint="pass --strategy-path DIR (or set strategiesDir in tradai.config) to the folder holding your strategies",
        )
    return sorted(
        p for p in root.rglob("*.py")
        if not any(part.startswith(("__", ".")) for part in p.relative_to(root).parts)
    )


def discover(strategy_path: str) -> list[StrategyEntry]:
    # Importing freqtrade.strategy (and tradai) once up front makes each strategy file's own
    # imports cheap, and lets a broken tradai install surface as one clear error.
    from freqtrade.strategy import IStrategy  # noqa: F401

    import tradai  # noqa: F401

    entries: list[StrategyEntry] = []
    for file in strategy_files(strategy_path):
        entries.extend(_entries_of(file))
    return entries


def find(strategy_path: str, name: str) -> StrategyEntry:
    """The strategy called ``name`` (class name or metadata name), found by the one static lookup
    every command uses (strategy_index.resolve: STRATEGY_NOT_FOUND / STRATEGY_LOAD), then imported
    from its own file alone, as Freqtrade's loader imports it."""
    from .strategy_index import resolve

    entry = resolve(strategy_path, name)
    return load(Path(entry.file), entry.class_name or name)


def load(file: Path, class_name: str) -> StrategyEntry:
    """Imports ``file`` and returns its strategy ``class_name``; any failure is STRATEGY_LOAD with
    the file and the line in it where the import failed."""
    from freqtrade.strategy import IStrategy

    try:
        module = import_strategy_file(file)
    except Exception as exc:  # noqa: BLE001 - any failure of a user's file is a load error
        line = failure_line(exc, file)
        details: dict[str, Any] = {"file": str(file), "line": line, "error": type(exc).__name__}
        if getattr(exc, "field", None):  # StrategyMetadataError names the metadata field
            details["field"] = exc.field
        reason = exc.msg if isinstance(exc, SyntaxError) else str(exc)  # SyntaxError's str repeats the place
        raise BridgeError("STRATEGY_LOAD", f"{file}:{line or '?'}: {type(exc).__name__}: {reason}",
                          hint="fix the error in the strategy file and run again", details=details) from exc
    cls = getattr(module, class_name, None)
    if not (isinstance(cls, type) and issubclass(cls, IStrategy) and cls.__module__ == module.__name__):
        raise BridgeError("STRATEGY_LOAD", f"{file}: defines no strategy class {class_name} when imported",
                          hint="the class must be defined at the top level of the file and derive from IStrategy",
                          details={"file": str(file), "line": None})
    cls.__file__ = str(file)  # as Freqtrade's resolver sets it: the params file beside it is found through it
    return describe(cls, file, _class_lines(file).get(class_name))


def import_strategy_file(file: Path):
    """Imports a strategy file the way Freqtrade's IResolver does: module named after the file, its
    folder on sys.path so it can import its neighbours, not registered in sys.modules. Raises what
    the file raises."""
    spec = importlib.util.spec_from_file_location(file.stem, str(file))
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(file.parent))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(file.parent))
    return module


def _entries_of(file: Path) -> list[StrategyEntry]:
    from freqtrade.strategy import IStrategy

    from tradai import StrategyMetadataError

    module_name = file.stem
    try:
        module = import_strategy_file(file)
    except StrategyMetadataError as exc:
        line = failure_line(exc, file)
        return [_error_entry(exc.class_name, exc.class_name, file, line, str(exc), "TradAIStrategy")]
    except Exception as exc:  # noqa: BLE001 - any import failure is reported for this file only
        line = failure_line(exc, file)
        return [_error_entry(file.stem, None, file, line, f"{type(exc).__name__}: {exc}", None)]

    class_lines = _class_lines(file)
    entries = []
    for _, cls in inspect.getmembers(module, inspect.isclass):
        if issubclass(cls, IStrategy) and cls is not IStrategy and cls.__module__ == module_name:
            # Freqtrade's resolver sets __file__ too; the params file beside it is found through it.
            cls.__file__ = str(file)
            entries.append(describe(cls, file, class_lines.get(cls.__name__)))
    return entries


def describe(cls: type, file: Path, line: int | None) -> StrategyEntry:
    from tradai import TradAIStrategy

    metadata = cls.strategy_metadata.to_dict() if issubclass(cls, TradAIStrategy) else None
    return StrategyEntry(
        name=metadata["name"] if metadata else cls.__name__,
        class_name=cls.__name__,
        file=str(file),
        line=line,
        base_class=base_class_name(cls),
        metadata=metadata,
        cls=cls,
    )


def base_class_name(cls: type) -> str:
    """The tradai-known base a strategy derives from: TradAIStrategy or IStrategy."""
    from tradai import TradAIStrategy

    return "TradAIStrategy" if issubclass(cls, TradAIStrategy) else "IStrategy"


def _error_entry(name, class_name, file: Path, line, message, base_class) -> StrategyEntry:
    return StrategyEntry(
        name=name,
        class_name=class_name,
        file=str(file),
        line=line,
        base_class=base_class,
        metadata=None,
        error={"message": message, "file": str(file), "line": line},
    )


def failure_line(exc: BaseException, file: Path) -> int | None:
    if isinstance(exc, SyntaxError) and exc.filename and Path(exc.filename) == file:
        return exc.lineno
    # The innermost frame in the strategy file: for an error raised while its class statement
    # runs (metadata validation), that is the class line.
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if Path(frame.filename) == file:
            line = frame.lineno
    return line


def _class_lines(file: Path) -> dict[str, int]:
    try:
        tree = ast.parse(file.read_text(encoding="utf-8"))
    except (SyntaxError, ValueError):
        return {}
    return {node.name: node.lineno for node in ast.walk(tree) if isinstance(node, ast.ClassDef)}
