"""The bridge contract's vocabulary (src/core/ports/engine-contract/vocabulary.ts) is the engine's:
the lists and patterns here are read from it, and the ones Freqtrade owns still match Freqtrade."""

from __future__ import annotations

import pytest

from tradai_engine.contract import vocabulary
from tradai_engine.hyperopt import objectives
from tradai_engine.hyperopt.evaluator import KNOWN_SPACES
from tradai_engine.hyperopt.study import SAMPLERS
from tradai_engine.pairs import parse_pair, timeframe_seconds


def test_losses_are_freqtrades_builtin_losses():
    from freqtrade.constants import HYPEROPT_LOSS_BUILTIN

    assert sorted(vocabulary()["losses"]) == sorted(HYPEROPT_LOSS_BUILTIN)


def test_engine_lists_are_the_contracts():
    assert list(KNOWN_SPACES) == vocabulary()["spaces"]
    assert list(SAMPLERS) == vocabulary()["samplers"]
    assert list(objectives.OBJECTIVES) == vocabulary()["objectives"]


@pytest.mark.parametrize("pair, parts", [("ETH/BTC", ("ETH", "BTC", None)), ("BTC/USDT:USDT", ("BTC", "USDT", "USDT")), ("1000SHIB/USDT", ("1000SHIB", "USDT", None))])
def test_pairs_ts_accepts_parse(pair, parts):
    assert parse_pair(pair) == parts


@pytest.mark.parametrize("pair", ["eth/btc", "ETHBTC", "ETH/", "/BTC", "ETH/BTC:", "ETH BTC/USDT"])
def test_pairs_ts_refuses_are_refused(pair):
    with pytest.raises(ValueError, match="is not a pair"):
        parse_pair(pair)


@pytest.mark.parametrize("timeframe, seconds", [("5m", 300), ("1h", 3600), ("1d", 86400), ("1w", 604800), ("1M", 2592000), ("30s", 30)])
def test_timeframes_ts_accepts_parse(timeframe, seconds):
    assert timeframe_seconds(timeframe) == seconds


@pytest.mark.parametrize("timeframe", ["0m", "05m", "1y", "m", "5", "5min"])
def test_timeframes_ts_refuses_are_refused(timeframe):
    with pytest.raises(ValueError, match="is not a timeframe"):
        timeframe_seconds(timeframe)
