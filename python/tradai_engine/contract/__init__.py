"""The bridge contract, checked at the boundary.

``schema.json`` beside this file is generated from the TypeScript contract
(src/core/ports/engine-contract, ``npm run contract``): one JSON Schema per operation's request
and result. The bridge validates every incoming request and every outgoing result against it, so
a field renamed on one side fails loudly on the first call instead of becoming a silent ``None``.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from ..protocol import BridgeError
from .fast import is_valid

SCHEMA_FILE = Path(__file__).with_name("schema.json")


@cache
def operations() -> dict[str, Any]:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))["operations"]


@cache
def vocabulary() -> dict[str, Any]:
    """Spaces, losses, samplers, objectives and the pair/timeframe/timerange patterns, as TS defines
    them (src/core/ports/engine-contract/vocabulary.ts): the engine's lists are these, not copies."""
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))["vocabulary"]


@cache
def _validator(operation: str, part: str):
    # Imported here: jsonschema costs ~0.1 s and `python -m tradai_engine` without an op needs none.
    from jsonschema import Draft202012Validator

    if operation not in operations():
        raise BridgeError(
            "CONTRACT",
            f'no bridge contract for operation "{operation}"',
            hint="declare it in src/core/ports/engine-contract/ and run `npm run contract` (docs/bridge-protocol.md, How to add an engine operation)",
        )
    schema = operations()[operation][part]
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def problems(operation: str, part: str, value: Any) -> list[str]:
    """What is wrong with ``value`` as ``operation``'s ``part`` ("request" or "result"), at most 5."""
    # Valid by the small checker: nothing to report, and no jsonschema import (contract/fast.py).
    # Anything else (invalid, or a keyword it does not know) is jsonschema's to judge and word.
    schema = operations().get(operation, {}).get(part)
    if schema is not None and is_valid(schema, value) is True:
        return []
    errors = sorted(_validator(operation, part).iter_errors(value), key=lambda e: list(e.absolute_path))
    return [f"{'.'.join(str(p) for p in e.absolute_path) or '(root)'}: {e.message}" for e in errors[:5]]


def check_request(operation: str, request: Any) -> None:
    found = problems(operation, "request", request)
    if found:
        raise BridgeError(
            "CONTRACT",
            f'the "{operation}" request does not match the bridge contract: ' + "; ".join(found),
            hint="tradai and its engine disagree on the bridge contract: run `npm run build` and `tradai engine setup` from the same checkout.",
            details={"problems": found},
        )


def check_result(operation: str, data: Any) -> None:
    found = problems(operation, "result", data)
    if found:
        raise BridgeError(
            "CONTRACT",
            f'the engine\'s "{operation}" result does not match the bridge contract: ' + "; ".join(found),
            hint="This is a bug in the engine (python/tradai_engine); please report it.",
            details={"problems": found},
        )
