"""The sweep study (hyperopt/grid_study.py): every grid point queued once, taken once; the race
for the last point, a stopped point queued again, a study of another sweep refused."""

import optuna
import pytest
from optuna.trial import TrialState

from tradai_engine.hyperopt import grid_study
from tradai_engine.protocol import BridgeError

GRID = [{"name": "buy_rsi", "values": [28, 32]}, {"name": "sell_rsi", "values": [60]}]


def want(grid=GRID, strategy="SampleRsiStrategy"):
    return {"engine": "sweep", "strategy": strategy, "grid": grid, "problem": {"pairs": ["ETH/BTC"]}, "sortBy": "profitTotal"}


def new_sweep():
    store = optuna.storages.InMemoryStorage()
    return store, grid_study.open_sweep(store, "s", create=True, want=want(), label="memory")


def test_every_point_is_queued_once_as_its_grid_id():
    _, study = new_sweep()
    trials = study.get_trials()
    assert [t.state for t in trials] == [TrialState.WAITING, TrialState.WAITING]
    assert [t.system_attrs["grid_id"] for t in trials] == [0, 1]
    taken = [grid_study.claim(study, GRID, "run-1") for _ in range(3)]
    assert taken[2] is None  # the queue is empty: no new trial is made
    assert sorted(grid_study.key(t.params) for t in taken[:2]) == sorted(
        grid_study.key({"buy_rsi": v, "sell_rsi": 60}) for v in (28, 32))
    assert len(study.get_trials()) == 2


def test_the_loser_of_the_race_for_the_last_point_runs_nothing():
    store, study = new_sweep()
    grid_study.claim(study, GRID, "run-1")
    other = optuna.load_study(study_name="s", storage=store, sampler=grid_study.sampler(GRID))
    taken = []
    real_ask = study.ask

    def racing_ask(*args, **kwargs):
        study.ask = real_ask
        taken.append(grid_study.claim(other, GRID, "run-2"))  # another process takes the last point meanwhile
        return real_ask(*args, **kwargs)

    study.ask = racing_ask
    assert grid_study.claim(study, GRID, "run-1") is None
    assert taken[0] is not None
    trials = study.get_trials()
    running = [t for t in trials if t.state == TrialState.RUNNING]
    assert len({grid_study.key(t.params) for t in running}) == 2
    [discarded] = [t for t in trials if t.state == TrialState.PRUNED]
    assert grid_study.DISCARDED in discarded.user_attrs


def test_a_stopped_point_is_queued_again_and_completes_once():
    _, study = new_sweep()
    trial = grid_study.claim(study, GRID, "run-1")
    grid_study.fail(study, trial, requeue=True)
    grid_study.fail(study, trial, requeue=True)  # a second fail (already failed) queues nothing more
    retry = [t for t in study.get_trials() if t.state == TrialState.WAITING and "failed_trial" in t.system_attrs]
    assert len(retry) == 1 and retry[0].params == trial.params
    for _ in range(2):
        got = grid_study.claim(study, GRID, "run-2")
        grid_study.tell(study, got, 0.1)  # GridSampler's stop() after the last point is absorbed
    state = grid_study.status(study, GRID)
    assert len(state["done"]) == 2 and state["pending"] == 0 and not state["errors"]
    assert grid_study.claim(study, GRID, "run-2") is None


def test_a_failed_point_is_an_error_not_a_retry():
    _, study = new_sweep()
    trial = grid_study.claim(study, GRID, "run-1")
    grid_study.fail(study, trial, requeue=False, error="DATA_NOT_FOUND: no candles")
    state = grid_study.status(study, GRID)
    assert list(state["errors"].values()) == ["DATA_NOT_FOUND: no candles"]
    assert state["pending"] == 1


def test_a_study_of_another_sweep_or_a_hyperopt_study_is_refused():
    store, _ = new_sweep()
    with pytest.raises(BridgeError, match="another grid"):
        grid_study.open_sweep(store, "s", create=True, want=want(grid=[{"name": "buy_rsi", "values": [28]}]), label="memory")
    hyperopt = optuna.create_study(study_name="h", storage=store)
    hyperopt.set_user_attr("tradai", {"engine": "optuna"})
    with pytest.raises(BridgeError, match="not a sweep"):
        grid_study.open_sweep(store, "h", create=False, want=want(), label="memory")
    with pytest.raises(BridgeError) as missing:
        grid_study.open_sweep(store, "nope", create=False, want=want(), label="memory")
    assert missing.value.code == "NOT_FOUND"


CANDLES = {"source": "arcticdb", "uri": "lmdb:///home/a/arctic", "library": "binance_spot", "exchange": None,
           "pairs": ["ETH/BTC"], "timeframe": "5m", "timerange": "20180115-20180118",
           "symbols": [{"symbol": "ETH_BTC-5m", "version": 3, "rows": 864, "first": "2018-01-15", "last": "2018-01-18",
                        "pair": "ETH/BTC", "timeframe": "5m"}]}


def sweep_on(candles):
    return {**want(), "candles": candles}


def test_a_study_records_its_candles_and_a_process_on_other_candles_is_refused():
    store = optuna.storages.InMemoryStorage()
    study = grid_study.open_sweep(store, "s", create=True, want=sweep_on(CANDLES), label="memory")
    assert study.user_attrs[grid_study.CANDLES_ATTR] == CANDLES
    # Same candles read from another machine's store path: joins.
    elsewhere = {**CANDLES, "uri": "lmdb:///home/b/arctic"}
    assert grid_study.open_sweep(store, "s", create=False, want=sweep_on(elsewhere), label="memory").study_name == "s"
    newer = {**CANDLES, "symbols": [{**CANDLES["symbols"][0], "version": 4}]}
    cases = [
        (newer, "symbols[0].version is 3 in the study, 4 here"),
        ({**CANDLES, "timerange": "20180115-20180120"}, 'timerange is "20180115-20180118" in the study, "20180115-20180120" here'),
        ({**CANDLES, "pairs": ["ETH/BTC", "LTC/BTC"]}, 'pairs is ["ETH/BTC"] in the study, ["ETH/BTC", "LTC/BTC"] here'),
        ({"source": "files", **{k: CANDLES[k] for k in ("exchange", "pairs", "timeframe", "timerange")}},
         'source is "arcticdb" in the study, "files" here'),
    ]
    for candles, said in cases:
        with pytest.raises(BridgeError) as caught:
            grid_study.open_sweep(store, "s", create=True, want=sweep_on(candles), label="memory")
        assert caught.value.code == "USAGE"  # exit 2
        assert f"study 's' ran on other candles: {said}" in caught.value.message
    # Nothing was added to the study by the refused processes.
    assert len(study.get_trials()) == 2


def test_a_study_made_before_candles_were_recorded_is_still_joined():
    store = optuna.storages.InMemoryStorage()
    grid_study.open_sweep(store, "s", create=True, want=want(), label="memory")
    assert grid_study.open_sweep(store, "s", create=False, want=sweep_on(CANDLES), label="memory").study_name == "s"
