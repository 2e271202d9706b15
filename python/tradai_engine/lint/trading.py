"""TRD401/402: can_short against the strategy's trading mode and its own signals."""

from __future__ import annotations

import ast

from . import rules
from .model import Finding, at
from .source import StrategyClass, literal
from .structure import metadata_fields


def check(cls: StrategyClass, file: str) -> list[Finding]:
    node = cls.attributes.get("can_short")
    try:
        can_short = literal(node) if node is not None else None
    except ValueError:
        return []
    mode = metadata_fields(cls)[0].get("trading_mode")
    out = []
    if can_short is True and mode == "spot":
        out.append(at(rules.CAN_SHORT_MODE, file, cls.targets["can_short"], f"{cls.name} sets can_short = True but "
                      "its metadata trading_mode is spot: spot markets cannot be shorted", 'set trading_mode="futures" '
                      "(with BASE/QUOTE:SETTLE pairs) or drop can_short", strategy=cls.name))
    elif can_short is True and mode is None and cls.base == "IStrategy":
        out.append(at(rules.CAN_SHORT_MODE, file, cls.targets["can_short"], f"{cls.name} sets can_short = True with no "
                      "metadata trading_mode: tradai backtests it as spot, where shorts cannot run", "derive from "
                      'TradAIStrategy with trading_mode="futures"', strategy=cls.name, severity="warning"))
    if can_short is not True and cls.direct:
        short = next((n for n in ast.walk(cls.node) if isinstance(n, ast.Constant) and n.value == "enter_short"), None)
        if short is not None:
            out.append(at(rules.SHORT_WITHOUT_CAN_SHORT, file, short, f"{cls.name} sets enter_short but can_short is "
                          "not True, so Freqtrade ignores every short signal", "set can_short = True (futures "
                          "trading mode) or remove the short signals", strategy=cls.name))
    return out
