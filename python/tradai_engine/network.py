"""Fail fast without a network: probe the exchange's API host before ccxt/Freqtrade would spend
minutes retrying. The probe is a DNS lookup plus a TCP connect, bounded as a whole."""

from __future__ import annotations

import socket
import threading
from urllib.parse import urlparse

from .protocol import BridgeError

PROBE_TIMEOUT_SECONDS = 3.0
OFFLINE_HINT = "check your connection (or proxy); offline, use `tradai data import PATH` to use candles you have"


def api_host(exchange: str, demo: bool = False) -> str:
    """The host of the exchange's public REST API, as ccxt knows it (its demo environment's with ``demo``)."""
    import ccxt

    cls = getattr(ccxt, exchange, None)
    if not isinstance(cls, type):
        raise BridgeError("USAGE", f"exchange {exchange!r} is not supported by ccxt", hint="use a ccxt exchange id such as binance, kraken, okx")
    api = cls()
    if demo:
        api.enable_demo_trading(True)  # what Freqtrade's Exchange does for demo_trading
    urls = api.urls.get("api")
    # ccxt's "api" is a URL or a (nested) dict of them; "public" is the market-data endpoint.
    while isinstance(urls, dict):
        urls = urls.get("public") or urls.get("spot") or next(iter(urls.values()), None)
    # Some exchanges write {hostname} in their URLs and fill it in per region.
    host = urlparse(api.implode_hostname(urls) if urls else "").hostname
    if not host:
        raise BridgeError("ENGINE", f"ccxt has no API URL for {exchange}")
    return host


def require_reachable(exchange: str, demo: bool = False) -> str:
    """Return the API host, or raise NETWORK within PROBE_TIMEOUT_SECONDS."""
    return require_reachable_address(api_host(exchange, demo), 443, exchange)


def require_reachable_address(host: str, port: int, exchange: str) -> str:
    """The same probe for an explicit address (an API URL the user pointed ccxt at)."""
    outcome: dict[str, BaseException | None] = {}

    def probe() -> None:
        try:
            with socket.create_connection((host, port), timeout=PROBE_TIMEOUT_SECONDS):
                outcome["error"] = None
        except OSError as exc:
            outcome["error"] = exc

    # getaddrinfo ignores socket timeouts, so the whole probe runs in a daemon thread we stop waiting for.
    thread = threading.Thread(target=probe, daemon=True)
    thread.start()
    thread.join(PROBE_TIMEOUT_SECONDS)
    if "error" not in outcome:
        reason: BaseException | str = f"no answer within {PROBE_TIMEOUT_SECONDS:g} s"
    elif outcome["error"] is not None:
        reason = outcome["error"]
    else:
        return host
    raise BridgeError(
        "NETWORK",
        f"cannot reach {host}: {reason}",
        hint=OFFLINE_HINT,
        details={"exchange": exchange, "host": host},
    )
