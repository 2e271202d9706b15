"""credentials-spec: what an exchange needs, from ccxt's ``requiredCredentials``.

``tradai credentials set`` asks this before saving (okx needs a password, binance does not);
an unknown exchange id is USAGE with the closest ccxt ids. No credentials involved.
"""

from __future__ import annotations

from ..exchange_auth import required_fields
from ..requests import require


def run(request: dict) -> dict:
    exchange = require(request, "exchange", str)
    return {"exchange": exchange, "required": required_fields(exchange)}
