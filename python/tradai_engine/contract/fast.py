"""A verdict on a value against the contract without importing jsonschema (~0.1–0.2 s of imports,
more than a read-only operation like strategy-list takes to run).

Only the keywords the generated contract uses are known (``KNOWN``); a schema using any other
keyword, or anything malformed, gives ``None`` and the caller asks jsonschema. A value this says
is valid is valid under Draft 2020-12 as jsonschema checks it (no format assertion); one it says
is invalid goes to jsonschema too, for jsonschema's own messages. So the verdict, and every error
message, stays jsonschema's; this only skips the import when there is nothing to report.
"""

from __future__ import annotations

import math
import re
from typing import Any

KNOWN = frozenset({
    "$schema", "$defs", "$ref", "$comment", "$id", "title", "description", "default", "examples",
    "type", "properties", "required", "additionalProperties", "propertyNames", "anyOf", "items",
    "enum", "const", "minLength", "maxLength", "pattern", "minimum", "maximum", "exclusiveMinimum",
    "exclusiveMaximum", "minItems", "maxItems",
})


class _Unknown(Exception):
    pass


def is_valid(schema: Any, value: Any) -> bool | None:
    """True / False as Draft 2020-12 would say, or None when this cannot tell (ask jsonschema)."""
    try:
        return _valid(schema, value, schema)
    except Exception:  # an unknown keyword, a $ref it cannot follow, a malformed schema
        return None


def _valid(schema: Any, value: Any, root: Any) -> bool:
    if schema is True:
        return True
    if schema is False:
        return False
    if not isinstance(schema, dict) or not KNOWN.issuperset(schema):
        raise _Unknown(schema)
    if "$ref" in schema:
        ref = schema["$ref"]
        if not ref.startswith("#/$defs/") or "/" in ref[len("#/$defs/"):]:
            raise _Unknown(ref)
        if not _valid(root["$defs"][ref[len("#/$defs/"):]], value, root):
            return False
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(_is_type(value, kind) for kind in types):
            return False
    if "enum" in schema and not any(_equal(value, option) for option in schema["enum"]):
        return False
    if "const" in schema and not _equal(value, schema["const"]):
        return False
    if "anyOf" in schema and not any(_valid(branch, value, root) for branch in schema["anyOf"]):
        return False
    if isinstance(value, str):
        length = len(value)
        if length < schema.get("minLength", 0) or ("maxLength" in schema and length > schema["maxLength"]):
            return False
        if "pattern" in schema and not re.search(schema["pattern"], value):
            return False
    if _is_number(value):
        if "minimum" in schema and value < schema["minimum"]:
            return False
        if "maximum" in schema and value > schema["maximum"]:
            return False
        if "exclusiveMinimum" in schema and value <= schema["exclusiveMinimum"]:
            return False
        if "exclusiveMaximum" in schema and value >= schema["exclusiveMaximum"]:
            return False
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0) or ("maxItems" in schema and len(value) > schema["maxItems"]):
            return False
        if "items" in schema and not all(_valid(schema["items"], item, root) for item in value):
            return False
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        if any(name not in value for name in schema.get("required", [])):
            return False
        for name, item in value.items():
            if "propertyNames" in schema and not _valid(schema["propertyNames"], name, root):
                return False
            if name in properties:
                if not _valid(properties[name], item, root):
                    return False
            elif "additionalProperties" in schema and not _valid(schema["additionalProperties"], item, root):
                return False
    return True


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_type(value: Any, kind: str) -> bool:
    if kind == "object":
        return isinstance(value, dict)
    if kind == "array":
        return isinstance(value, list)
    if kind == "string":
        return isinstance(value, str)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "null":
        return value is None
    if kind == "number":
        return _is_number(value)
    if kind == "integer":
        # As jsonschema: 3.0 is an integer, True is not.
        return _is_number(value) and (isinstance(value, int) or (math.isfinite(value) and value.is_integer()))
    raise _Unknown(kind)


def _equal(a: Any, b: Any) -> bool:
    """JSON equality as jsonschema's: booleans are not numbers, 1 == 1.0, deep for lists and objects."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_equal(a[key], b[key]) for key in a)
    if _is_number(a) and _is_number(b):
        return a == b
    return type(a) is type(b) and a == b
