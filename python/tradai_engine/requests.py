"""Reading bridge requests: a missing or mistyped field is a USAGE error naming the field."""

from __future__ import annotations

from typing import Any

from .protocol import BridgeError

_MISSING = object()


def require(request: dict, key: str, kind: type | tuple[type, ...]) -> Any:
    value = request.get(key, _MISSING)
    if value is _MISSING or value is None:
        raise BridgeError("USAGE", f"bridge request is missing {key!r}", details={"field": key})
    return check(key, value, kind)


def optional(request: dict, key: str, kind: type | tuple[type, ...], default: Any = None) -> Any:
    value = request.get(key)
    return default if value is None else check(key, value, kind)


def check(key: str, value: Any, kind: type | tuple[type, ...]) -> Any:
    # bool is an int in Python; a flag passed where a number belongs is still a mistake.
    if not isinstance(value, kind) or (isinstance(value, bool) and kind in (int, float, (int, float))):
        names = " or ".join(k.__name__ for k in (kind if isinstance(kind, tuple) else (kind,)))
        raise BridgeError("USAGE", f"bridge request field {key!r} must be {names}, got {value!r}", details={"field": key})
    return value
