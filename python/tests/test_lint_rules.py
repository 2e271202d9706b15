"""`strategy lint`'s static rules on the fixture strategies (test/fixtures/strategies)."""

from __future__ import annotations

import pytest

from tradai_engine.lint import lint
from tradai_engine.protocol import BridgeError

from .conftest import LINT_FIXTURES, STRATEGIES


def rule_ids(path) -> set[str]:
    findings, _strategies = lint([str(path)])
    return {f.rule.id for f in findings}


def test_negative_shift_is_a_lookahead_error():
    findings, strategies = lint([str(LINT_FIXTURES / "peeking_shift_strategy.py")])
    shift = [f for f in findings if f.rule.id == "TRD101"]
    assert shift, [f.rule.id for f in findings]
    assert shift[0].line > 0 and shift[0].fix
    assert [s["className"] for s in strategies]


def test_hardcoded_secret_is_found():
    assert "TRD301" in rule_ids(LINT_FIXTURES / "hardcoded_secrets_strategy.py")


def test_broken_syntax_is_a_parse_error_not_a_crash():
    assert rule_ids(LINT_FIXTURES / "broken_syntax_strategy.py") == {"TRD000"}


def test_bad_metadata_is_reported():
    assert "TRD011" in rule_ids(LINT_FIXTURES / "bad_metadata_strategy.py")


def test_shipped_sample_strategies_have_no_errors():
    findings, strategies = lint([str(STRATEGIES)])
    errors = [(f.rule.id, f.file, f.line) for f in findings if (f.severity or f.rule.severity) == "error"]
    assert errors == []
    assert len(strategies) >= 2


def test_unknown_strategy_name_is_strategy_not_found():
    with pytest.raises(BridgeError) as caught:
        lint([str(STRATEGIES)], ["NoSuchStrategy"])
    assert caught.value.code == "STRATEGY_NOT_FOUND"
    assert "NoSuchStrategy" in caught.value.message
