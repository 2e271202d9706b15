"""`tradai strategy lint`: static checks of strategy files (Python ast, nothing is imported or run).

One module per rule family: structure (class, interface, members, metadata), lookahead, parameters
(spaces, bounds, startup candles), secrets, trading (can_short). ``deep`` runs Freqtrade's own
lookahead- and recursive-analysis and is only used when asked for (it backtests).
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

from ..protocol import BridgeError
from ..strategies import strategy_files
from . import lookahead, parameters, rules, secrets, structure, trading, wholeseries
from .model import Finding, at
from .source import SourceFile, StrategyClass, parse


def lint(paths: list[str], names: list[str] | None = None) -> tuple[list[Finding], list[dict[str, Any]]]:
    """Findings for every strategy in ``paths`` (files or folders); with ``names``, only the strategies
    whose class name or metadata name is listed (STRATEGY_NOT_FOUND for a name that matches none)."""
    findings: list[Finding] = []
    strategies: list[dict[str, Any]] = []
    wanted = set(names or [])
    matched: set[str] = set()
    for path, explicit in _files(paths):
        try:
            source = parse(path)
        except (SyntaxError, ValueError, UnicodeDecodeError) as exc:
            text = path.read_text(encoding="utf-8", errors="replace")
            if not wanted or any(f"class {n}(" in text for n in wanted):
                findings.append(_parse_error(path, exc))
                matched.update(n for n in wanted if f"class {n}(" in text)
            continue
        selected = [c for c in source.classes if not wanted or {c.name, _metadata_name(c)} & wanted]
        matched.update({c.name for c in selected} | {_metadata_name(c) for c in selected})
        if not source.classes:
            if explicit:
                findings.append(at(rules.NO_STRATEGY, str(path), None, f"{path.name} defines no class that extends "
                                   "IStrategy or TradAIStrategy", "define `class MyStrategy(TradAIStrategy):` "
                                   "(from tradai import TradAIStrategy)"))
            continue
        if not selected:
            continue
        findings += _check(source, selected)
        strategies += [_strategy_entry(c, path) for c in selected]
    missing = sorted(wanted - matched)
    if missing:
        raise BridgeError("STRATEGY_NOT_FOUND", f"no strategy named {', '.join(map(repr, missing))} in "
                          f"{', '.join(paths)}", hint="`tradai strategy list` shows the strategies found",
                          details={"missing": missing, "available": sorted(s["className"] for s in strategies)})
    findings.sort(key=lambda f: (f.file, f.line, f.column, f.rule.id))
    return findings, strategies


def _check(source: SourceFile, selected: list[StrategyClass]) -> list[Finding]:
    file = str(source.path)
    owner = _owner(source.classes)
    keep = {c.name for c in selected}
    out = [f for f in lookahead.check_file(source, owner) + secrets.check(source.tree, file, owner)
           if f.strategy is None or f.strategy in keep]
    for cls in selected:
        out += structure.check(cls, file) + structure.loader_visible(cls, source.text, file)
        out += lookahead.check_vectorized(cls, file)
        out += wholeseries.check(cls, wholeseries.module_of(source.tree, source.path, cls), file)
        out += parameters.check(cls, file)
        out += trading.check(cls, file)
    return out


def _files(paths: list[str]) -> list[tuple[Path, bool]]:
    """(file, named explicitly) in order; a file both named and inside a named folder counts as named."""
    files: dict[Path, bool] = {}
    for raw in paths:
        path = Path(raw).resolve()
        if not path.exists():
            raise BridgeError("NOT_FOUND", f"{raw} does not exist", hint="pass strategy files, folders or names",
                              details={"path": raw})
        for file in ([path] if path.is_file() else [p.resolve() for p in strategy_files(str(path))]):
            files[file] = files.get(file, False) or path.is_file()
    return list(files.items())


def _owner(classes: list[StrategyClass]):
    spans = [(c.node.lineno, c.node.end_lineno or c.node.lineno, c.name) for c in classes]
    only = classes[0].name if len(classes) == 1 else None

    def owner(node: ast.AST) -> str | None:
        line = getattr(node, "lineno", None)
        for start, end, name in spans:
            if line is not None and start <= line <= end:
                return name
        return only  # module-level helper of a one-strategy file belongs to that strategy

    return owner


def _metadata_name(cls: StrategyClass) -> str:
    return structure.metadata_fields(cls)[0].get("name") or cls.name


def _strategy_entry(cls: StrategyClass, path: Path) -> dict[str, Any]:
    return {"name": _metadata_name(cls), "className": cls.name, "file": str(path), "line": cls.node.lineno,
            "baseClass": cls.base}


def _parse_error(path: Path, exc: Exception) -> Finding:
    line = getattr(exc, "lineno", None) or 1
    column = getattr(exc, "offset", None) or 1
    detail = getattr(exc, "msg", None) or str(exc)
    return Finding(rules.PARSE, str(path), line, column, f"{path.name} does not parse: {detail}",
                   "fix the syntax error; Freqtrade cannot load the file either")
