"""startup_candle_count from the source: what lets `data.source: arcticdb` size its read without importing Freqtrade."""

from __future__ import annotations

from pathlib import Path

from tradai_engine.strategy_index import read_file

HEAD = "from freqtrade.strategy import IStrategy\n\n\n"


def _entries(tmp_path: Path, body: str) -> dict[str, int | None]:
    file = tmp_path / "s.py"
    file.write_text(HEAD + body)
    return {entry.class_name or "": entry.startup_candle_count for entry in read_file(file)}


def test_literal_unset_and_computed(tmp_path: Path) -> None:
    body = (
        "class Literal(IStrategy):\n    timeframe = '5m'\n    startup_candle_count = 300\n\n\n"
        "class Unset(IStrategy):\n    timeframe = '5m'\n\n\n"
        "class Computed(IStrategy):\n    timeframe = '5m'\n    startup_candle_count = 10 * 30\n"
    )
    assert _entries(tmp_path, body) == {"Literal": 300, "Unset": 0, "Computed": None}


def test_the_sample_strategy_says_it(tmp_path: Path) -> None:
    repo = Path(__file__).resolve().parents[2]
    found = {entry.class_name: entry.to_dict() for entry in read_file(repo / "strategies" / "sample_rsi_strategy.py")}
    assert found["SampleRsiStrategy"]["startupCandleCount"] == 300
