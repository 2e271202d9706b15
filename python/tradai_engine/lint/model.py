"""Findings and rules of `tradai strategy lint`.

A rule has one id (TRDnnn), a default severity and a one-line description; a finding may carry a
different severity than its rule's default when the same rule covers a milder case (for example a
plain IStrategy without metadata is a warning, a TradAIStrategy without it an error).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    severity: str
    description: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "description": self.description, "severity": self.severity}


@dataclass
class Finding:
    rule: Rule
    file: str
    line: int
    column: int
    message: str
    fix: str
    strategy: str | None = None
    severity: str | None = None
    end_line: int | None = None
    end_column: int | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "ruleId": self.rule.id,
            "severity": self.severity or self.rule.severity,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "message": self.message,
            "fix": self.fix,
            "strategy": self.strategy,
        }
        if self.end_line is not None:
            out["endLine"] = self.end_line
            out["endColumn"] = self.end_column
        return out


def at(rule: Rule, file: str, node: ast.AST | None, message: str, fix: str, *, strategy: str | None = None,
       severity: str | None = None) -> Finding:
    """A finding located at ``node`` (1-based line and column, as editors and SARIF count)."""
    if node is None or not hasattr(node, "lineno"):
        return Finding(rule, file, 1, 1, message, fix, strategy, severity)
    return Finding(
        rule, file, node.lineno, node.col_offset + 1, message, fix, strategy, severity,
        end_line=getattr(node, "end_lineno", None),
        end_column=(node.end_col_offset + 1) if getattr(node, "end_col_offset", None) is not None else None,
    )
