"""Exchange markets without the network.

Freqtrade loads the exchange's markets over the network when it creates its Exchange and has no
offline mode. tradai supplies them itself: a snapshot saved by `tradai data markets`
(``<user_data>/markets/<exchange>.json``) when there is one, else spot (or, for ``BASE/QUOTE:SETTLE``
pairs, linear swap) markets synthesized for the requested pairs.

The patch sits on ccxt's exchange classes (sync, async and pro), below Freqtrade, so Freqtrade's
Exchange, validation and fee/precision logic run unchanged on top of it. ``load_markets`` answers
from the offline markets and every HTTP request fails at once with ccxt.NetworkError, so nothing
in an offline run can wait on a connection timeout.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

from .pairs import parse_pair
from .protocol import BridgeError

# ccxt's precision modes (ccxt.base.decimal_to_precision), repeated to keep this module import-light.
_DECIMAL_PLACES, _SIGNIFICANT_DIGITS, _TICK_SIZE = 2, 3, 4
SYNTHESIZED_FEE = 0.001


def install_offline_markets(exchange: str, pairs: list[str], user_data_dir: str) -> dict:
    """Make ccxt's ``exchange`` classes serve markets offline.

    Returns ``{"source": "snapshot" | "synthesized", "file": path | None, "missing": [...]}``;
    ``missing`` lists requested pairs a snapshot does not have (Freqtrade would silently drop them).
    """
    snapshot = Path(user_data_dir) / "markets" / f"{exchange}.json"
    if snapshot.is_file():
        markets = _read_snapshot(snapshot)
        _patch_exchange_classes(exchange, lambda _api: markets)
        listed = {market.get("symbol") for market in markets}
        return {"source": "snapshot", "file": str(snapshot), "missing": [p for p in pairs if p not in listed]}
    wanted = list(pairs)
    # The precision mode belongs to the ccxt exchange class, so synthesis waits for the instance.
    _patch_exchange_classes(exchange, lambda api: synthesize_markets(wanted, api.precisionMode))
    return {"source": "synthesized", "file": None, "missing": []}


def _read_snapshot(path: Path) -> list[dict[str, Any]]:
    try:
        markets = json.loads(path.read_text(encoding="utf-8"))["markets"]
        if not isinstance(markets, dict) or not markets:
            raise ValueError("'markets' is empty or not an object")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise BridgeError(
            "CONFIG",
            f"markets snapshot {path} is unreadable: {exc}",
            hint="re-save it with `tradai data markets` (online), or delete it to use synthesized markets",
            details={"file": str(path)},
        ) from exc
    return list(markets.values())


def synthesize_markets(pairs: list[str], precision_mode: int) -> list[dict[str, Any]]:
    """ccxt-shaped markets for ``pairs``: active, fee 0.1%, fine precision, no limits.

    The real precision and minimums are unknown offline; a step of 1e-8 (what Freqtrade's own
    test-suite uses) keeps rounding from distorting results and no minimum rejects no trade.
    """
    step: float = 1e-8 if precision_mode == _TICK_SIZE else 8
    markets = []
    for pair in pairs:
        base, quote, settle = parse_pair(pair)
        swap = settle is not None
        markets.append(
            {
                "id": f"{base}{quote}",
                "symbol": pair,
                "base": base,
                "quote": quote,
                "settle": settle,
                "baseId": base,
                "quoteId": quote,
                "settleId": settle,
                "type": "swap" if swap else "spot",
                "spot": not swap,
                "margin": False,
                "swap": swap,
                "future": False,
                "option": False,
                "active": True,
                "contract": swap,
                "linear": (settle == quote) if swap else None,
                "inverse": (settle == base) if swap else None,
                "contractSize": 1.0 if swap else None,
                "expiry": None,
                "expiryDatetime": None,
                "strike": None,
                "optionType": None,
                "taker": SYNTHESIZED_FEE,
                "maker": SYNTHESIZED_FEE,
                "percentage": True,
                "tierBased": False,
                "precision": {"amount": step, "price": step, "base": step, "quote": step},
                "limits": {
                    "leverage": {"min": 1.0, "max": None},
                    "amount": {"min": None, "max": None},
                    "price": {"min": None, "max": None},
                    "cost": {"min": None, "max": None},
                },
                "created": None,
                "info": {"tradai": "synthesized offline market"},
            }
        )
    return markets


def _patch_exchange_classes(exchange: str, provide: Callable[[Any], list[dict[str, Any]]]) -> None:
    import ccxt
    import ccxt.async_support as ccxt_async

    try:
        import ccxt.pro as ccxt_pro
    except ImportError:  # ccxt builds without pro still work: Freqtrade falls back to async_support
        ccxt_pro = None

    classes = [getattr(module, exchange, None) for module in (ccxt, ccxt_async, ccxt_pro) if module]
    classes = [cls for cls in classes if isinstance(cls, type)]
    if not classes:
        raise BridgeError("CONFIG", f"exchange {exchange!r} is not supported by ccxt", hint="use a ccxt exchange id such as binance, kraken, okx")

    def load_markets(self, reload=False, params={}):  # noqa: B006 - ccxt's own signature
        if self.markets and self.markets_by_id and not reload:
            return self.markets
        return self.set_markets(provide(self))

    async def load_markets_async(self, reload=False, params={}):  # noqa: B006
        return load_markets(self, reload, params)

    def refuse(self, url, method="GET", headers=None, body=None):
        raise ccxt.NetworkError(f"tradai runs offline: refused {method} {url}")

    async def refuse_async(self, url, method="GET", headers=None, body=None):
        refuse(self, url, method)

    # Setting the attributes on each concrete class overrides anything it or its bases define
    # (ccxt.pro.kraken, for one, has its own load_markets).
    for cls in classes:
        is_async = cls.__module__.startswith(("ccxt.async_support", "ccxt.pro"))
        cls.load_markets = load_markets_async if is_async else load_markets
        cls.fetch = refuse_async if is_async else refuse
