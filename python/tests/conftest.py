"""Shared paths of the Python suite (run from the repository root: `npm run test:python`)."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
LINT_FIXTURES = REPO / "test" / "fixtures" / "strategies"
STRATEGIES = REPO / "strategies"
# Real candles (see ../shared/fixtures/market-data/README.md), beside the checkout in CI too.
MARKET_DATA = REPO.parent / "shared" / "fixtures" / "market-data"


@pytest.fixture
def market_data() -> Path:
    if not (MARKET_DATA / "binance").is_dir():
        pytest.skip(f"no fixture candles at {MARKET_DATA}")
    return MARKET_DATA
