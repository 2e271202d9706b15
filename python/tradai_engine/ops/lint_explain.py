"""lint-explain: one lint rule with why it exists and a bad and a good example (nothing is linted).

Request: {rule: "TRD103" | "whole-series-aggregate"}. Result: {rule: {id, name, severity,
description, explanation, bad, good}}; an unknown rule is USAGE with the known ids.
"""

from __future__ import annotations

from ..lint.explain import explain
from ..requests import require


def run(request: dict) -> dict:
    return {"rule": explain(require(request, "rule", str))}
