"""Live shadow trading on an exchange's demo account (Freqtrade's ``exchange.demo_trading``).

Freqtrade 2026.9 supports demo accounts only where its exchange class says
``supports_demo_trading`` (bybit), and refuses ``demo_trading`` together with ``dry_run``: on a
demo account the orders are real orders on the exchange's demo environment (its paper money and
its own matching), so the bot runs with ``dry_run: false`` there. The keys reach Freqtrade only
as FREQTRADE__EXCHANGE__KEY / SECRET / PASSWORD variables of this process (tradai resolves them
from ``tradai credentials``); the written config never holds them.
"""

from __future__ import annotations

import inspect
import os
from typing import Any

from ..protocol import BridgeError

KEY_VARIABLES = ("FREQTRADE__EXCHANGE__KEY", "FREQTRADE__EXCHANGE__SECRET")


def demo_exchanges() -> list[str]:
    """The exchange ids whose Freqtrade class (resolved as Freqtrade resolves it) supports demo trading."""
    import freqtrade.exchange as exchanges
    from freqtrade.exchange import Exchange

    found = []
    for cls in vars(exchanges).values():
        if inspect.isclass(cls) and issubclass(cls, Exchange) and getattr(cls, "_ft_has", {}).get("supports_demo_trading"):
            ident = cls.__name__.lower()
            # ExchangeResolver loads `name.title()`: a class it never resolves is no demo for anyone.
            if getattr(exchanges, ident.title(), None) is cls:
                found.append(ident)
    return sorted(found)


def apply_demo(config: dict[str, Any]) -> dict[str, Any]:
    """The live config switched to the exchange's demo account; USAGE where that cannot work."""
    exchange = config["exchange"]["name"]
    supported = demo_exchanges()
    if exchange not in supported:
        raise BridgeError(
            "USAGE",
            f"{exchange} has no demo trading in Freqtrade (it supports demo accounts on: {', '.join(supported) or 'none'})",
            hint=f"use --exchange {supported[0]} with --exchange-demo, or drop --exchange-demo for a dry run on public data"
            if supported else "drop --exchange-demo for a dry run on public data",
            details={"exchange": exchange, "supported": supported},
        )
    missing = [name for name in KEY_VARIABLES if not os.environ.get(name)]
    if missing:
        raise BridgeError("USAGE", f"demo trading on {exchange} needs the account's keys; {', '.join(missing)} not set",
                          hint=f"store them with `tradai credentials set {exchange}`")
    config["exchange"] = {**config["exchange"], "demo_trading": True}
    config["dry_run"] = False  # Freqtrade: "Demo trading cannot be used together with dry_run."
    return config


def keys_source() -> str:
    """Where the bot's exchange keys came from, for state.json (never the values)."""
    return "environment" if all(os.environ.get(name) for name in KEY_VARIABLES) else "none"
