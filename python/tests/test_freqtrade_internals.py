"""Every private (or patched) Freqtrade, ccxt and Optuna name tradai relies on, with the signature
it expects. An upgrade of the engine's pins that renames or reshapes one fails here, loudly, with
the place in tradai that depends on it, instead of silently changing a backtest's results.

When a test here fails after an upgrade: fix the tradai code named in its docstring, then the test.
"""

from __future__ import annotations

import inspect

import pytest


def params_of(func) -> list[str]:
    return list(inspect.signature(func).parameters)


def source_of(obj) -> str:
    return inspect.getsource(obj)


# --- freqtrade -----------------------------------------------------------------------------------


def test_strategy_params_from_file_feeds_hyper_params():
    """ops/backtest.py run_backtesting: `--param` overrides go into strategy._ft_params_from_file,
    read by ft_load_hyper_params; ops/backtest.py also reads strategy._ft_hyper_params."""
    from freqtrade.strategy.hyper import HyperStrategyMixin

    init = source_of(HyperStrategyMixin.__init__)
    assert "self._ft_params_from_file" in init and "self._ft_hyper_params" in init
    loader = source_of(HyperStrategyMixin.ft_load_hyper_params)
    assert "self._ft_params_from_file.get(space" in loader and "self._ft_hyper_params = detect_all_parameters(self)" in loader


def test_backtesting_progress_task_overall_and_callback():
    """ops/backtest.py run_backtesting/_ProgressRelay: Backtesting(config, progress_callback=...) and
    its overall task id backtesting._progress_task_overall (skipped by the relay)."""
    from freqtrade.optimize.backtesting import Backtesting

    assert "progress_callback" in params_of(Backtesting.__init__)
    assert "self._progress_task_overall = " in source_of(Backtesting)
    assert callable(Backtesting.start) and "strategylist" in source_of(Backtesting.__init__)


def test_feather_pair_data_filename():
    """ops/backtest.py check_data, ops/hyperopt_optuna.py, candles.py: where Freqtrade keeps candles."""
    from pathlib import Path

    from freqtrade.data.history.datahandlers.featherdatahandler import FeatherDataHandler
    from freqtrade.enums import CandleType

    assert params_of(FeatherDataHandler._pair_data_filename)[:4] == ["datadir", "pair", "timeframe", "candle_type"]
    path = FeatherDataHandler._pair_data_filename(Path("/d"), "ETH/BTC", "5m", CandleType.SPOT)
    assert path == Path("/d/ETH_BTC-5m.feather")


def test_hyperopt_optimizer_module_load_is_what_generate_optimizer_calls():
    """hyperopt/evaluator.py _install_in_memory_loader replaces hyperopt_optimizer.load (joblib's),
    which HyperOptimizer.generate_optimizer calls per epoch as load(file)."""
    from freqtrade.optimize.hyperopt import hyperopt_optimizer
    from freqtrade.optimize.hyperopt.hyperopt_optimizer import HyperOptimizer

    assert callable(hyperopt_optimizer.load)
    assert "processed = load(f)" in source_of(HyperOptimizer.generate_optimizer)
    assert params_of(HyperOptimizer.__init__)[1:3] == ["config", "data_pickle_file"]


def test_hyperopt_optimizer_members_tradai_uses():
    """hyperopt/evaluator.py, workers.py, study.py: the subclass overrides _setup_logging_mp_workaround;
    prepare_hyperopt, generate_optimizer(params_dict), o_dimensions, backtesting, config;
    INITIAL_POINTS and MAX_LOSS."""
    from freqtrade.optimize.hyperopt.hyperopt_optimizer import INITIAL_POINTS, MAX_LOSS, HyperOptimizer

    assert params_of(HyperOptimizer._setup_logging_mp_workaround) == ["self"]
    assert params_of(HyperOptimizer.prepare_hyperopt) == ["self"]
    assert params_of(HyperOptimizer.generate_optimizer) == ["self", "params_dict"]
    init = source_of(HyperOptimizer)
    assert "self.o_dimensions" in init and "self.backtesting" in init
    assert isinstance(INITIAL_POINTS, int) and MAX_LOSS > 0


def test_hyperopt_members_the_reporting_subclass_uses():
    """ops/hyperopt_freqtrade.py ReportingHyperopt: evaluate_result(val, current, is_random),
    current_best_loss, total_epochs, results_file, get_lock_filename; HyperoptTools.load_filtered_results."""
    from freqtrade.optimize.hyperopt import Hyperopt
    from freqtrade.optimize.hyperopt_tools import HyperoptTools

    assert params_of(Hyperopt.evaluate_result) == ["self", "val", "current", "is_random"]
    init = source_of(Hyperopt.__init__)
    assert all(f"self.{name}" in init for name in ("current_best_loss", "total_epochs", "results_file"))
    assert params_of(Hyperopt.get_lock_filename) == ["config"]
    assert params_of(HyperoptTools.load_filtered_results) == ["results_file", "config"]


def test_recursive_analysis_startup_candle_count():
    """lint/deep.py reads RecursiveAnalysis._strat_scc (the strategy's startup_candle_count)."""
    from freqtrade.optimize.analysis.recursive import RecursiveAnalysis

    assert "self._strat_scc" in source_of(RecursiveAnalysis.__init__)


def test_public_freqtrade_entry_points_tradai_calls():
    """setup_optimize_configuration(args, method), TimeRange.parse_timerange, HYPEROPT_LOSS_BUILTIN,
    LAST_BT_RESULT_FN, gc_set_threshold, detect_all_parameters."""
    from freqtrade.commands.optimize_commands import setup_optimize_configuration
    from freqtrade.configuration.timerange import TimeRange
    from freqtrade.constants import HYPEROPT_LOSS_BUILTIN, LAST_BT_RESULT_FN
    from freqtrade.strategy.hyper import detect_all_parameters
    from freqtrade.system import gc_set_threshold

    assert params_of(setup_optimize_configuration) == ["args", "method"]
    assert TimeRange.parse_timerange("20180110-20180112").startts > 0
    assert "SharpeHyperOptLoss" in HYPEROPT_LOSS_BUILTIN and LAST_BT_RESULT_FN
    assert callable(gc_set_threshold) and callable(detect_all_parameters)


# --- ccxt ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("module_name", ["ccxt", "ccxt.async_support"])
def test_ccxt_methods_the_offline_patch_replaces(module_name):
    """markets.py _patch_exchange_classes sets load_markets(self, reload, params) and
    fetch(self, url, method, headers, body) on ccxt's exchange classes, and calls set_markets."""
    import importlib

    base = importlib.import_module(module_name).Exchange
    assert params_of(base.load_markets) == ["self", "reload", "params"]
    assert params_of(base.fetch) == ["self", "url", "method", "headers", "body"]
    assert params_of(base.set_markets)[:2] == ["self", "markets"]
    assert inspect.iscoroutinefunction(base.load_markets) == (module_name != "ccxt")


def test_ccxt_exchange_state_the_patch_reads():
    """markets.py: api.precisionMode picks the synthesized precision; markets/markets_by_id cache;
    the precision-mode constants it repeats to stay import-light."""
    import ccxt
    from ccxt.base import decimal_to_precision as dtp

    from tradai_engine import markets

    exchange = ccxt.Exchange()
    assert hasattr(exchange, "precisionMode") and hasattr(exchange, "markets") and hasattr(exchange, "markets_by_id")
    assert (dtp.DECIMAL_PLACES, dtp.SIGNIFICANT_DIGITS, dtp.TICK_SIZE) == (
        markets._DECIMAL_PLACES, markets._SIGNIFICANT_DIGITS, markets._TICK_SIZE)
    assert issubclass(ccxt.NetworkError, ccxt.BaseError)


# --- optuna ----------------------------------------------------------------------------------------


def test_optuna_private_names():
    """hyperopt/workers.py: optuna.storages._heartbeat.get_heartbeat_thread(trial_id, storage) and
    trial._trial_id; hyperopt/storage.py: study._storage.set_trial_state_values(trial_id, state)."""
    import optuna
    from optuna.storages._heartbeat import get_heartbeat_thread

    assert params_of(get_heartbeat_thread) == ["trial_id", "storage"]
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study()
    trial = study.ask()
    assert isinstance(trial._trial_id, int)
    assert params_of(study._storage.set_trial_state_values)[:2] == ["trial_id", "state"]
    study._storage.set_trial_state_values(trial._trial_id, optuna.trial.TrialState.FAIL)
    assert study.trials[0].state == optuna.trial.TrialState.FAIL
