"""lint: static checks of strategy files; with ``deep``, Freqtrade's lookahead- and recursive-analysis.

Request: {paths: [file or dir, ...], strategyPath, names: [...], deep, userDataDir, exchange, timerange,
pairs}. ``paths`` empty means every strategy in ``strategyPath``. Result: {findings, strategies, rules}.
"""

from __future__ import annotations

from .. import protocol
from ..lint import lint, rules
from ..protocol import BridgeError
from ..requests import optional, require


def run(request: dict) -> dict:
    paths = optional(request, "paths", list, []) or [require(request, "strategyPath", str)]
    names = optional(request, "names", list, [])
    deep = optional(request, "deep", bool, False)
    for value in [*paths, *names]:
        if not isinstance(value, str) or not value:
            raise BridgeError("USAGE", f"lint paths and names must be non-empty strings, got {value!r}")

    protocol.stage("static", "start")
    findings, strategies = lint(paths, names)
    protocol.stage("static", "done", f"{len(strategies)} strategies, {len(findings)} findings")

    if deep:
        from ..lint.deep import analyse

        parse_broken = {f.file for f in findings if f.rule is rules.PARSE or f.rule is rules.METADATA_INVALID
                        and (f.severity or f.rule.severity) == "error"}
        findings += analyse([s for s in strategies if s["file"] not in parse_broken], request)

    return {
        "findings": [f.to_dict() for f in findings],
        "strategies": strategies,
        "rules": [r.to_dict() for r in rules.ALL],
    }
