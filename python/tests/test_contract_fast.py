"""contract/fast.py gives jsonschema's verdict on the contract's schemas without importing it:
"valid" only when jsonschema agrees, and every keyword the generated contract uses is known to it
(so no operation falls back to the slow import when its request is fine)."""

from __future__ import annotations

import copy

import pytest
from jsonschema import Draft202012Validator

from tradai_engine import contract
from tradai_engine.contract.fast import KNOWN, is_valid


def _keywords(node, found: set[str]) -> set[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            found.add(key)
            if key in ("properties", "$defs"):
                for inner in value.values():
                    _keywords(inner, found)
            else:
                _keywords(value, found)
    elif isinstance(node, list):
        for item in node:
            _keywords(item, found)
    return found


def test_every_keyword_of_the_generated_contract_is_known():
    for operation, parts in contract.operations().items():
        for part, schema in parts.items():
            assert _keywords(schema, set()) <= KNOWN, (operation, part, _keywords(schema, set()) - KNOWN)


def _variants(value):
    """The value and mutations of it that a contract check must catch (or allow)."""
    yield value
    if isinstance(value, dict):
        yield {**value, "unexpectedField": 1}
        for key in list(value):
            dropped = dict(value)
            del dropped[key]
            yield dropped
            for replacement in (None, True, 1, 1.5, "", "x", [], {}, [""], 3.0):
                changed = copy.deepcopy(value)
                changed[key] = replacement
                yield changed


REQUESTS = {
    "strategy-list": {"strategyPath": "/s", "load": False},
    "strategy-show": {"strategyPath": "/s", "name": "X"},
    "data-list": {"userDataDir": "/u", "exchange": "binance"},
    "versions": {},
    "lint-explain": {"rule": "TRD103"},
}


@pytest.mark.parametrize("operation", sorted(REQUESTS))
def test_same_verdict_as_jsonschema_on_requests_and_their_mutations(operation):
    schema = contract.operations()[operation]["request"]
    validator = Draft202012Validator(schema)
    for value in _variants(REQUESTS[operation]):
        verdict = is_valid(schema, value)
        assert verdict in (True, False)
        assert verdict == validator.is_valid(value), (operation, value)


def test_same_verdict_on_every_schema_for_generic_values():
    samples = [None, True, 0, 1, 2.5, -1, "", "x", "ETH/BTC", [], [1], [""], {}, {"a": 1}]
    for operation, parts in contract.operations().items():
        for part, schema in parts.items():
            validator = Draft202012Validator(schema)
            for value in samples:
                assert is_valid(schema, value) == validator.is_valid(value), (operation, part, value)


def test_unknown_keywords_and_refs_defer_to_jsonschema():
    assert is_valid({"type": "object", "patternProperties": {"^a": {}}}, {}) is None
    assert is_valid({"$ref": "https://elsewhere/schema.json"}, 1) is None
    assert is_valid({"type": "integer"}, 3.0) is True and is_valid({"type": "integer"}, True) is False
    assert is_valid({"enum": [1]}, True) is False and is_valid({"const": 1}, 1.0) is True


def test_problems_are_still_jsonschemas_messages():
    assert contract.problems("strategy-list", "request", {"strategyPath": "/s"}) == []
    found = contract.problems("strategy-list", "request", {"strategiesDir": "/s"})
    assert any("'strategyPath' is a required property" in problem for problem in found)
