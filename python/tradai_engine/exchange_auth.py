"""Exchange credentials as ccxt sees them: what an exchange requires, and a private request
signed with them (locally, or sent to the exchange).

The credentials arrive only as this process's environment (FREQTRADE__EXCHANGE__KEY /
__SECRET / __PASSWORD, the names Freqtrade itself reads), never in the request on stdin, so
they are in no request file or log. Every message built here is scrubbed of their values.
"""

from __future__ import annotations

import difflib
import os
from typing import Any
from urllib.parse import urlparse, urlunparse

from .protocol import BridgeError

# ccxt's requiredCredentials name -> tradai's field (Freqtrade's exchange.key/secret/password).
FIELDS = {"apiKey": "key", "secret": "secret", "password": "password"}
ENV = {"key": "FREQTRADE__EXCHANGE__KEY", "secret": "FREQTRADE__EXCHANGE__SECRET", "password": "FREQTRADE__EXCHANGE__PASSWORD"}


def exchange_class(exchange: str):
    """ccxt's class for an exchange id; an unknown id is USAGE with the closest known ids."""
    import ccxt

    cls = getattr(ccxt, exchange, None) if exchange in ccxt.exchanges else None
    if cls is None:
        close = difflib.get_close_matches(exchange.lower(), ccxt.exchanges, n=4, cutoff=0.6)
        raise BridgeError(
            "USAGE",
            f"unknown exchange {exchange!r}" + (f"; did you mean {', '.join(close)}?" if close else ""),
            hint="use a ccxt exchange id such as binance, kraken, okx, bybit",
            details={"exchange": exchange, "closest": close},
        )
    return cls


def required_fields(exchange: str) -> list[str]:
    """ccxt's requiredCredentials that are true, in ccxt's names (apiKey, secret, password, uid, ...)."""
    return [name for name, needed in exchange_class(exchange)().requiredCredentials.items() if needed]


def credentials_from_env() -> dict[str, str]:
    return {field: os.environ[name] for field, name in ENV.items() if os.environ.get(name)}


def client(exchange: str, credentials: dict[str, str], api_url: str | None = None):
    """A ccxt client holding the credentials; with api_url every API URL's origin is replaced
    (a testnet, a proxy, or a test's fake exchange), paths kept."""
    api = exchange_class(exchange)(
        {
            "apiKey": credentials.get("key"),
            "secret": credentials.get("secret"),
            "password": credentials.get("password"),
            "enableRateLimit": False,
            "timeout": 10_000,
        }
    )
    if api_url:
        api.urls["api"] = _reorigin(api.urls.get("api"), urlparse(api_url))
    # A balance needs no markets; loading them would be public requests we neither sign nor want.
    api.load_markets = lambda *args, **kwargs: api.markets or {}
    return api


def scrub(text: str, credentials: dict[str, str]) -> str:
    for value in credentials.values():
        if value and len(value) >= 4:
            text = text.replace(value, "***")
    return text


def _reorigin(urls: Any, base) -> Any:
    if isinstance(urls, dict):
        return {key: _reorigin(value, base) for key, value in urls.items()}
    if isinstance(urls, str) and "://" in urls:
        parsed = urlparse(urls)
        return urlunparse(parsed._replace(scheme=base.scheme, netloc=base.netloc))
    return urls
