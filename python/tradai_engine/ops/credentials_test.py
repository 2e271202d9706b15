"""credentials-test: are the credentials in this process's environment usable on the exchange?

Offline (default): ccxt's required fields are present, the values look like keys (no
whitespace, quotes or placeholders), and a private request (fetch_balance's) is built and
signed by ccxt's own ``sign()`` with them, then dropped before anything is sent.
Online: the reachability probe first (NETWORK within seconds), then one read-only private
call (the balance) and, where the exchange exposes them, the key's permissions; withdrawal
rights are a warning. A failed check is reported in ``checks`` (tradai exits 1); the values
never appear in the result: every detail is scrubbed.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlparse

from .. import protocol
from ..exchange_auth import FIELDS, client, credentials_from_env, required_fields, scrub
from ..network import require_reachable, require_reachable_address
from ..protocol import BridgeError
from ..requests import optional, require

PLACEHOLDER = re.compile(r"^(<.*>|\$\{?\w+\}?|x+|\*+|changeme|your[-_ ]?\w*)$", re.IGNORECASE)


class _NotSent(Exception):
    """Raised in place of the HTTP call: the signed request stops here."""


def run(request: dict) -> dict:
    exchange = require(request, "exchange", str)
    online = optional(request, "online", bool, False)
    api_url = optional(request, "apiUrl", str)
    credentials = credentials_from_env()
    checks: list[dict] = []
    warnings: list[str] = []

    def check(name: str, passed: bool, detail: str) -> bool:
        checks.append({"check": name, "passed": passed, "detail": scrub(detail, credentials)})
        return passed

    required = required_fields(exchange)
    missing = [FIELDS.get(name, name) for name in required if not credentials.get(FIELDS.get(name, ""))]
    unsupported = [name for name in required if name not in FIELDS]
    ok = check(
        "required",
        not missing,
        f"{exchange} needs {', '.join(FIELDS.get(n, n) for n in required)}"
        + (f"; missing: {', '.join(missing)}" if missing else "; all present")
        + (f" ({', '.join(unsupported)} cannot be stored by tradai yet)" if unsupported else ""),
    )
    problems = [f"{field} {why}" for field, value in credentials.items() if (why := _format_problem(value))]
    ok = check("format", not problems, "; ".join(problems) if problems else "no whitespace, quotes or placeholders") and ok
    if not ok:
        return _result(exchange, "offline", checks, warnings)

    ok = check("signed-request", *_sign_locally(exchange, credentials))
    if not online or not ok:
        return _result(exchange, "offline", checks, warnings)

    protocol.stage("probe", "start")
    try:
        if api_url:
            parsed = urlparse(api_url)
            port = parsed.port or (443 if parsed.scheme == "https" else 80)
            host = require_reachable_address(parsed.hostname or "", port, exchange)
        else:
            host = require_reachable(exchange)
    except BridgeError as exc:
        exc.hint = "check your connection (or proxy); without a network, `tradai credentials test` (no --online) still checks the keys"
        raise
    protocol.stage("probe", "done", f"{host} reachable")
    protocol.stage("online", "start")
    api = client(exchange, credentials, api_url)
    if check("balance", *_call(lambda: _balance(api), credentials)):
        passed, detail, warning = _permissions(api, exchange, credentials)
        check("permissions", passed, detail)
        if warning:
            warnings.append(warning)
            protocol.log("warning", warning)
    protocol.stage("online", "done")
    return _result(exchange, "online", checks, warnings)


def _result(exchange: str, verified: str, checks: list[dict], warnings: list[str]) -> dict:
    return {"exchange": exchange, "verified": verified, "checks": checks, "warnings": warnings}


def _format_problem(value: str) -> str | None:
    if value != value.strip() or re.search(r"\s", value):
        return "contains whitespace (a pasted line break or space?)"
    if value[:1] in "'\"" or value[-1:] in "'\"":
        return "is quoted (remove the quotes)"
    if PLACEHOLDER.match(value):
        return "looks like a placeholder, not a real value"
    if len(value) < 8:
        return f"is only {len(value)} characters long"
    return None


def _sign_locally(exchange: str, credentials: dict[str, str]) -> tuple[bool, str]:
    api = client(exchange, credentials)
    signed: dict = {}
    sign = api.sign

    def capture_sign(*args, **kwargs):
        request = sign(*args, **kwargs)
        signed.update(request)
        return request

    def no_send(url, method="GET", headers=None, body=None):
        raise _NotSent()

    api.sign = capture_sign
    api.fetch = no_send
    try:
        api.fetch_balance()
    except _NotSent:
        pass
    except Exception as exc:  # noqa: BLE001 - ccxt's own refusal of these credentials is the finding
        return False, f"ccxt could not sign a private request for {exchange}: {type(exc).__name__}: {exc}"
    if not signed:
        return False, f"ccxt built no request for {exchange}'s balance"
    url = urlparse(signed.get("url", ""))
    # Names only: header and query values hold the key and the signature.
    carried = [f"headers {', '.join(sorted(signed.get('headers') or {}))}"] if signed.get("headers") else []
    query = [part.split("=", 1)[0] for part in url.query.split("&") if part]
    carried += [f"query {', '.join(query)}"] if query else []
    where = "; ".join(carried) or "no headers"
    return True, f"{signed.get('method')} {url.scheme}://{url.netloc}{url.path} signed by ccxt's sign() ({where}); not sent"


def _balance(api) -> str:
    balance = api.fetch_balance()
    held = [code for code, amount in (balance.get("total") or {}).items() if amount]
    return f"read the balance ({len(held)} currencies held)"


def _call(work, credentials: dict[str, str]) -> tuple[bool, Any]:
    """(True, the endpoint's answer) or (False, why the exchange refused)."""
    import ccxt

    try:
        return True, work()
    except ccxt.NetworkError as exc:
        raise BridgeError("NETWORK", scrub(f"the exchange did not answer: {exc}", credentials), hint="retry, or test offline without --online") from exc
    except ccxt.BaseError as exc:
        return False, f"the exchange refused: {type(exc).__name__}: {exc}"


def _permissions(api, exchange: str, credentials: dict[str, str]) -> tuple[bool, str, str | None]:
    """Where ccxt reaches an endpoint that lists a key's rights: binance, okx."""
    rights: list[str] | None = None
    if exchange.startswith("binance") and hasattr(api, "sapi_get_account_apirestrictions"):
        passed, answer = _call(lambda: api.sapi_get_account_apirestrictions(), credentials)
        if not passed:
            return False, str(answer), None
        rights = [name[len("enable"):].lower() for name, value in answer.items() if name.startswith("enable") and value is True]
    elif exchange == "okx" and hasattr(api, "private_get_account_config"):
        passed, answer = _call(lambda: api.private_get_account_config(), credentials)
        if not passed:
            return False, str(answer), None
        perm = ((answer.get("data") or [{}])[0] or {}).get("perm") or ""
        rights = [part.strip().lower() for part in perm.split(",") if part.strip()]
    if rights is None:
        return True, f"{exchange} does not expose a key's permissions through ccxt; check them on its API management page", None
    withdrawals = any(right.startswith("withdraw") for right in rights)
    warning = (
        f"this {exchange} key can withdraw funds: trading needs no withdrawal rights, create a key without them"
        if withdrawals
        else None
    )
    return True, f"permissions: {', '.join(rights) or 'none'}", warning
