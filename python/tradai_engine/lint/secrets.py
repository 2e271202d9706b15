"""TRD301: credentials written into strategy code.

A strategy file travels: it is copied into every backtest run folder, logged to MLflow as an
artifact and registered. A key in it leaks everywhere it goes, so lint refuses it. Messages
never repeat the literal (lint output lands in CI logs and SARIF uploads).
"""

from __future__ import annotations

import ast
import re

from . import rules
from .model import Finding, at

SECRET_NAME = re.compile(
    r"(?i)(^|_)(api_?key|api_?secret|apikey|secret(_?key)?|password|passwd|pwd|token|private_?key|access_?key|"
    r"passphrase|bearer)$"
)
# Shapes of real credentials, whatever variable holds them.
TOKEN_PATTERNS = [
    ("an AWS access key id", re.compile(r"\b(AKIA|ASIA)[0-9A-Z]{16}\b")),
    ("a GitHub token", re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,}\b")),
    ("a Slack token", re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}")),
    ("a Stripe/OpenAI-style secret key", re.compile(r"\b(sk|rk)[-_](live_|test_|proj-)?[A-Za-z0-9]{20,}")),
    ("a private key", re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----")),
    ("a Telegram bot token", re.compile(r"\b\d{8,10}:[A-Za-z0-9_-]{35}\b")),
]
FIX = ("remove it from the code and rotate it; store it with `tradai credentials set EXCHANGE` "
       "(encrypted; tradai hands it to Freqtrade as FREQTRADE__EXCHANGE__KEY/SECRET when a run needs it) "
       "or set TRADAI_EXCHANGE_<EXCHANGE>_KEY/_SECRET; a strategy never needs the exchange keys")


def check(tree: ast.Module, file: str, owner) -> list[Finding]:
    out, flagged = [], set()

    def flag(node: ast.AST, what: str) -> None:
        if id(node) not in flagged:
            flagged.add(id(node))
            out.append(at(rules.SECRET, file, node, f"{what} is written in the code", FIX, strategy=owner(node)))

    for node in ast.walk(tree):
        for name, value in _named_values(node):
            if SECRET_NAME.search(name) and _is_secret_literal(value):
                flag(value, f"{name} = <a {len(value.value)}-character literal>")
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            for label, pattern in TOKEN_PATTERNS:
                if pattern.search(node.value):
                    flag(node, f"a string literal that looks like {label}")
                    break
    return out


def _named_values(node: ast.AST):
    """(name, value) pairs: assignments, keyword arguments and dict entries."""
    if isinstance(node, ast.Assign):
        for target in node.targets:
            name = _target_name(target)
            if name:
                yield name, node.value
    elif isinstance(node, ast.AnnAssign) and node.value is not None:
        name = _target_name(node.target)
        if name:
            yield name, node.value
    elif isinstance(node, ast.keyword) and node.arg:
        yield node.arg, node.value
    elif isinstance(node, ast.Dict):
        for key, value in zip(node.keys, node.values):
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                yield key.value, value


def _target_name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str):
        return node.slice.value
    return None


def _is_secret_literal(node: ast.AST) -> bool:
    if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
        return False
    text = node.value.strip()
    # Empty strings and ${VAR}/<placeholder> templates hold no secret.
    return len(text) >= 4 and not re.fullmatch(r"\$\{?\w+\}?|<[^>]*>|\*+|x+|changeme", text, re.IGNORECASE)
