"""The bridge protocol (protocol.py, __main__.py) and the contract check (contract/__init__.py):
run ``python -m tradai_engine <op>`` the way the TS bridge does and read its NDJSON."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from tradai_engine import contract, protocol
from tradai_engine.__main__ import OPERATIONS
from tradai_engine.protocol import BridgeError

PYTHON_DIR = Path(__file__).resolve().parents[1]


def bridge(operation: str, request: object) -> tuple[int, list[dict], str]:
    stdin = request if isinstance(request, str) else json.dumps(request)
    done = subprocess.run([sys.executable, "-m", "tradai_engine", operation], input=stdin, capture_output=True, text=True,
                          cwd=PYTHON_DIR, timeout=120, env={"PYTHONPATH": str(PYTHON_DIR), "PATH": "/usr/bin:/bin"})
    events = [json.loads(line) for line in done.stdout.splitlines()]  # every stdout line is one JSON event
    return done.returncode, events, done.stderr


def test_every_operation_has_a_contract_and_a_module():
    assert sorted(OPERATIONS) == sorted(contract.operations())
    for module in OPERATIONS.values():
        assert (PYTHON_DIR / "tradai_engine" / "ops" / f"{module}.py").is_file()


def test_success_ends_with_one_result_event_matching_the_contract(tmp_path):
    code, events, _stderr = bridge("data-list", {"userDataDir": str(tmp_path)})
    assert code == 0
    assert [e["event"] for e in events].count("result") == 1 and events[-1]["event"] == "result"
    assert events[-1]["data"]["files"] == []
    assert contract.problems("data-list", "result", events[-1]["data"]) == []


def test_request_off_contract_is_a_contract_error_event():
    code, events, _stderr = bridge("data-list", {"userDataDir": "/tmp", "exchnage": "binance"})
    assert code == 1 and events[-1]["event"] == "error" and events[-1]["code"] == "CONTRACT"
    assert "exchnage" in events[-1]["message"]


def test_unknown_operation_and_bad_json_are_usage_errors():
    code, events, _stderr = bridge("no-such-op", {})
    assert code == 2 and events == [{"event": "error", "code": "USAGE", "message": events[0]["message"]}]
    assert "no-such-op" in events[0]["message"]
    code, events, _stderr = bridge("data-list", "{not json")
    assert code == 2 and events[0]["code"] == "USAGE" and "not JSON" in events[0]["message"]


def test_bridge_error_becomes_an_error_event_with_hint(tmp_path):
    code, events, _stderr = bridge("data-import", {"userDataDir": str(tmp_path), "exchange": "binance",
                                                    "paths": [str(tmp_path / "missing.csv")]})
    assert code == 1
    error = events[-1]
    assert (error["event"], error["code"]) == ("error", "USAGE") and "missing.csv" in error["message"] and error["hint"]


def test_check_request_and_result_raise_contract_errors():
    contract.check_request("versions", {})
    with pytest.raises(BridgeError) as caught:
        contract.check_request("versions", {"extra": 1})
    assert caught.value.code == "CONTRACT" and caught.value.details["problems"]
    with pytest.raises(BridgeError) as caught:
        contract.check_result("versions", {"python": "/x", "pythonVersion": "3.11"})  # packages missing
    assert caught.value.code == "CONTRACT" and "packages" in caught.value.message
    with pytest.raises(BridgeError) as caught:
        contract.problems("no-such-op", "request", {})
    assert caught.value.code == "CONTRACT"


def test_events_are_one_json_line_each(monkeypatch):
    out = io.StringIO()
    monkeypatch.setattr(protocol, "_events", out)
    protocol.stage("data", "start")
    protocol.progress("backtest", 3, 10, "pairs")
    protocol.progress("trials", 1)
    protocol.log("warning", "careful")
    protocol.result({"when": datetime(2018, 1, 10, tzinfo=timezone.utc), "path": Path("/x")})
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert lines == [
        {"event": "stage", "stage": "data", "status": "start"},
        {"event": "progress", "stage": "backtest", "current": 3, "total": 10, "message": "pairs"},
        {"event": "progress", "stage": "trials", "current": 1},
        {"event": "log", "level": "warning", "message": "careful"},
        {"event": "result", "data": {"when": "2018-01-10T00:00:00+00:00", "path": "/x"}},
    ]


def test_nan_is_refused_by_the_protocol_and_jsonable_converts_numpy():
    import numpy as np

    with pytest.raises(ValueError):
        protocol.jsonable({"x": float("nan")})
    assert protocol.jsonable({"n": np.int64(3), "f": np.float64(0.5)}) == {"n": 3, "f": 0.5}
