"""data-markets: save the exchange's markets (online, with ccxt) for offline backtests.

markets.py reads the snapshot back: ``<user_data>/markets/<exchange>.json`` holding
``{"exchange", "savedAt", "markets": {symbol: ccxt market}}``.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from .. import protocol
from ..network import OFFLINE_HINT, require_reachable
from ..protocol import BridgeError
from ..requests import require


def run(request: dict) -> dict:
    user_data_dir = require(request, "userDataDir", str)
    exchange = require(request, "exchange", str)

    protocol.stage("probe", "start")
    host = require_reachable(exchange)
    protocol.stage("probe", "done", f"{host} reachable")

    protocol.stage("markets", "start")
    markets = _load_markets(exchange, host)
    target = Path(user_data_dir) / "markets" / f"{exchange}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    snapshot = {"exchange": exchange, "savedAt": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), "markets": markets}
    # Write then rename, so an interrupted save never leaves a half snapshot for markets.py to read.
    partial = target.with_suffix(".json.partial")
    partial.write_text(json.dumps(snapshot, default=str), encoding="utf-8")
    partial.replace(target)
    protocol.stage("markets", "done", f"{len(markets)} markets")
    return {"file": str(target), "count": len(markets)}


def _load_markets(exchange: str, host: str) -> dict:
    import ccxt

    api = getattr(ccxt, exchange)({"enableRateLimit": True, "timeout": 30000})
    try:
        return api.load_markets()
    except ccxt.NetworkError as exc:
        raise BridgeError("NETWORK", f"cannot load markets from {host}: {exc}", hint=OFFLINE_HINT) from exc
    except ccxt.ExchangeError as exc:
        raise BridgeError("ENGINE", f"{exchange} refused to list its markets: {exc}") from exc
