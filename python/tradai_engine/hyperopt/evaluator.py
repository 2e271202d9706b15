"""One long-lived evaluator per worker process: candles loaded and indicators computed once,
then every trial is Freqtrade's own ``HyperOptimizer.generate_optimizer`` (parameters applied,
``Backtesting.backtest``, ``generate_strategy_stats``, the loss class called with Freqtrade's
arguments, ``--min-trades`` scored as MAX_LOSS) — so a trial's loss is the value Freqtrade gives.

The only thing changed is where the analyzed candles come from: Freqtrade unpickles them from
disk on every epoch (its workers are joblib processes); here they stay in memory and each trial
gets a copy-on-write copy (pandas 3), since the backtest adds signal columns to the frames.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from .. import freqtrade_errors
from ..ft_config import build_config
from ..prepare import prepare_run
from ..ops.backtest import find_strategy
from ..contract import vocabulary
from ..protocol import BridgeError

# Spaces as Freqtrade names them (HyperOptimizer.init_spaces); "default" = buy sell roi stoploss.
KNOWN_SPACES = tuple(vocabulary()["spaces"])  # the bridge contract's vocabulary (TS defines it)
_IN_MEMORY: dict[str, dict] = {}  # data file path -> analyzed candles of the optimizer that owns it


def _install_in_memory_loader() -> None:
    """Serve HyperOptimizer's per-epoch ``load(pickle)`` from memory (see module doc)."""
    from freqtrade.optimize.hyperopt import hyperopt_optimizer

    if getattr(hyperopt_optimizer.load, "tradai", False):
        return

    def load(file):
        processed = _IN_MEMORY[str(Path(file.name))]
        return {pair: frame.copy(deep=False) for pair, frame in processed.items()}

    load.tradai = True
    hyperopt_optimizer.load = load


def hyperopt_config(request: dict, timerange: str | None = None) -> tuple[dict, Any, Path]:
    """The Freqtrade config of a hyperopt request (built by ft_config like a backtest's), the
    strategy entry and its file. ``timerange`` overrides the request's (out-of-sample runs)."""
    for key in ("strategy", "strategyPath", "userDataDir", "runDir"):
        if not request.get(key):
            raise BridgeError("USAGE", f"hyperopt request lacks {key!r}")
    entry = find_strategy(request["strategy"], request["strategyPath"])
    strategy_file = Path(entry.file)
    # An out-of-sample window is tradai's decision: it overrides a timerange in the user's Freqtrade config.
    sources = {**(request.get("settingSources") or {}), **({"timerange": {"kind": "flag", "label": "out-of-sample window"}} if timerange else {})}
    config = build_config({**request, "timerange": timerange or request.get("timerange"), "settingSources": sources},
                          entry.cls, strategy_file)
    spaces = request.get("spaces") or ["default"]
    unknown = [s for s in spaces if s not in KNOWN_SPACES]
    if unknown:
        raise BridgeError("USAGE", f"unknown hyperopt space {', '.join(unknown)}; known: {', '.join(KNOWN_SPACES)}",
                          details={"spaces": unknown})
    loss = request.get("loss") or "SharpeHyperOptLoss"
    from freqtrade.constants import HYPEROPT_LOSS_BUILTIN

    if loss not in HYPEROPT_LOSS_BUILTIN:
        raise BridgeError("USAGE", f"unknown loss {loss!r}; Freqtrade's losses: {', '.join(HYPEROPT_LOSS_BUILTIN)}",
                          details={"loss": loss, "known": list(HYPEROPT_LOSS_BUILTIN)})
    config.update({
        "spaces": spaces,
        "hyperopt_loss": loss,
        "hyperopt_min_trades": int(request["minTrades"]) if request.get("minTrades") is not None else 1,
        "epochs": int(request.get("epochs") or 1),
        "hyperopt_jobs": int(request.get("jobs") or 1),
        "disableparamexport": True,  # tradai exports the study's best itself (or not: --no-export)
        "export": "none",
    })
    if request.get("seed") is not None:
        config["hyperopt_random_state"] = int(request["seed"])
    return config, entry, strategy_file


def open_optimizer(request: dict, timerange: str | None = None):
    """A ready HyperOptimizer for ``request``: config set up as `freqtrade hyperopt` sets it up,
    offline markets, spaces initialised, candles loaded and analyzed once."""
    from freqtrade.commands.optimize_commands import setup_optimize_configuration
    from freqtrade.enums import RunMode
    from freqtrade.exceptions import OperationalException
    from freqtrade.optimize.hyperopt.hyperopt_optimizer import HyperOptimizer

    config, entry, strategy_file = hyperopt_config(request, timerange)
    run_dir = Path(request["runDir"])
    config_file = run_dir / ("config-oos.json" if timerange else "config.json")
    markets = prepare_run(config, request["userDataDir"], config_file)

    class Optimizer(HyperOptimizer):
        def _setup_logging_mp_workaround(self) -> None:
            pass  # Freqtrade's queue for joblib workers' logs; these workers log to stderr directly

    _install_in_memory_loader()
    data_file = Path(tempfile.mkstemp(prefix="tradai-hyperopt-", suffix=".pkl", dir=run_dir)[1])
    try:
        ft_config = setup_optimize_configuration({"config": [str(config_file)]}, RunMode.HYPEROPT)
        optimizer = Optimizer(ft_config, data_file)
        # Freqtrade's own preparation (spaces, load_bt_data, advise_all_indicators in the
        # INDICATORS state, trimmed dates, exchange closed), dumped once; then kept in memory.
        optimizer.prepare_hyperopt()
        from joblib import load

        _IN_MEMORY[str(data_file)] = load(data_file)
        data_file.write_bytes(b"")  # the in-memory copy serves every epoch
    except OperationalException as exc:
        known = freqtrade_errors.mapped(exc)  # no candles, a space without parameters: freqtrade_errors.py
        if known:
            raise known from exc
        raise
    optimizer.tradai = {"entry": entry, "strategyFile": strategy_file, "markets": markets, "configFile": config_file}
    return optimizer


def evaluate(optimizer, params: dict[str, Any]) -> dict[str, Any]:
    """One epoch exactly as Freqtrade runs it; returns its result dict (loss, params_details,
    params_not_optimized, results_metrics, total_profit)."""
    return optimizer.generate_optimizer(dict(params))


def dimensions(optimizer) -> dict[str, Any]:
    """The search space as plain Optuna distributions (Freqtrade's ft_* subclasses carry a name
    and do not survive Optuna's storage serialisation), in Freqtrade's order."""
    import optuna.distributions as od

    plain: dict[str, Any] = {}
    for name, dist in optimizer.o_dimensions.items():
        if isinstance(dist, od.CategoricalDistribution):
            plain[name] = od.CategoricalDistribution(list(dist.choices))
        elif isinstance(dist, od.IntDistribution):
            plain[name] = od.IntDistribution(dist.low, dist.high, log=dist.log, step=dist.step)
        else:
            plain[name] = od.FloatDistribution(dist.low, dist.high, log=dist.log, step=dist.step)
    return plain


def space_signature(plain: dict[str, Any]) -> str:
    import hashlib

    from optuna.distributions import distribution_to_json

    text = json.dumps({name: distribution_to_json(d) for name, d in sorted(plain.items())}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def metrics(stats: dict[str, Any]) -> dict[str, Any]:
    """The headline numbers of Freqtrade's strategy stats (camelCase like the backtest report)."""
    return {
        "totalTrades": stats.get("total_trades"),
        "profitTotal": stats.get("profit_total"),
        "profitTotalAbs": stats.get("profit_total_abs"),
        "maxDrawdown": stats.get("max_drawdown_account"),
        "sharpe": stats.get("sharpe"),
        "sortino": stats.get("sortino"),
        "calmar": stats.get("calmar"),
        "winRate": stats.get("winrate"),
        "profitFactor": stats.get("profit_factor"),
        "expectancy": stats.get("expectancy"),
        "holdingAvg": str(stats.get("holding_avg")) if stats.get("holding_avg") is not None else None,
        "backtestStart": stats.get("backtest_start"),
        "backtestEnd": stats.get("backtest_end"),
    }
