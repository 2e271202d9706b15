"""backtest: one Freqtrade backtest, run the way `freqtrade backtesting` runs it.

Steps (docs/bridge-protocol.md, "backtest"): find the strategy and check its params, build and
write the Freqtrade config, check the candles cover the request, run Freqtrade's Backtesting
with offline markets (its own export lands in runDir), extract the stats JSON from the export.

Speed matters (benchmarked against raw `freqtrade backtesting`), so nothing is done twice that
costs: the data check reads only the date column of each candle file, Freqtrade loads the data.
"""

from __future__ import annotations

import json
import shutil
import time
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .. import engine_warnings, freqtrade_errors, protocol
from ..freqtrade_errors import DATA_HINT
from ..ft_config import build_config_with_sources
from ..pairs import parse_candle_filename
from ..protocol import BridgeError

PROGRESS_INTERVAL = 0.2  # seconds: at most ~5 progress events a second


def run(request: dict) -> dict:
    for key in ("runDir", "strategy", "strategyPath", "userDataDir"):
        if not request.get(key):
            raise BridgeError("USAGE", f"backtest request lacks {key!r}")
    run_dir = Path(request["runDir"])
    run_dir.mkdir(parents=True, exist_ok=True)

    from freqtrade import __version__ as freqtrade_version
    from freqtrade.system import gc_set_threshold

    gc_set_threshold()  # what `freqtrade` itself does at start: fewer GC runs, faster backtests

    protocol.stage("strategy", "start")
    entry = find_strategy(request["strategy"], request["strategyPath"])
    strategy_cls, strategy_file = entry.cls, Path(entry.file)
    overrides = resolve_params(strategy_cls, request.get("params") or {})
    config, sources, user = build_config_with_sources(request, strategy_cls, strategy_file)
    protocol.stage("strategy", "done", f"{entry.class_name} from {strategy_file}")

    protocol.stage("data", "start")
    from freqtrade.constants import LAST_BT_RESULT_FN

    from ..informative import check as check_informative
    from ..prepare import prepare_run

    pairs = config["exchange"]["pair_whitelist"]
    # A reused run directory must not point us at an older export.
    (run_dir / LAST_BT_RESULT_FN).unlink(missing_ok=True)
    config_file = run_dir / "config.json"
    # The one preparation every Freqtrade run shares: candles checked, offline markets, config written.
    markets = prepare_run(config, request["userDataDir"], config_file, strict=bool(request.get("strictData")))
    data_warnings = check_informative(config, strategy_cls, bool(request.get("allowMissingInformative")))
    # Which file, flag or default each key of config.json came from (README "Strategy configurations").
    sources_file = run_dir / "config-sources.json"
    sources_file.write_text(json.dumps({"files": user.files, "warnings": user.warnings, "sources": sources}, indent=2) + "\n",
                            encoding="utf-8")
    protocol.stage("data", "done", f"{len(pairs)} pair(s), {config['timeframe']}")

    protocol.stage("backtest", "start")
    strategy = run_backtesting(config_file, overrides)
    protocol.stage("backtest", "done")

    protocol.stage("results", "start")
    result_file, stats_file = extract_stats(run_dir, config["backtest_cache"])
    strategy_files = copy_strategy(strategy, strategy_file, run_dir / "strategy", bool(overrides))
    protocol.stage("results", "done", str(stats_file))

    return {
        "runDir": str(run_dir),
        "configFile": str(config_file),
        "configSourcesFile": str(sources_file),
        "resultFile": str(result_file),
        "statsFile": str(stats_file),
        "strategyFiles": [str(f) for f in strategy_files],
        "marketsSource": markets["source"],
        "marketsFile": markets["file"],
        "strategy": {
            "name": entry.name,
            "className": entry.class_name,
            "file": entry.file,
            "baseClass": entry.base_class,
            "metadata": entry.metadata,
            "params": {space: {name: p.value for name, p in params.items()}
                       for space, params in strategy._ft_hyper_params.items()},
        },
        "exchange": config["exchange"]["name"],
        "timeframe": config["timeframe"],
        "timerange": config.get("timerange"),
        "pairs": pairs,
        "stakeCurrency": config["stake_currency"],
        "engine": {"freqtrade": freqtrade_version},
        "warnings": data_warnings + [w for w in engine_warnings.collected() if w not in data_warnings],
    }


# --- strategy -----------------------------------------------------------------------------------


def find_strategy(name: str, strategy_path: str):
    """The strategy ``name`` as a strategies.StrategyEntry: the lookup every command shares
    (strategy_index.resolve, from the source), then only its file is imported."""
    from .. import strategies

    return strategies.find(strategy_path, name)


def resolve_params(strategy_cls: type, params: dict) -> dict[str, dict[str, Any]]:
    """Request params by Freqtrade space, each checked against the strategy's hyperoptable
    parameters and coerced to its type: {"buy": {"buy_rsi": 30}}."""
    if not params:
        return {}
    if not isinstance(params, dict):
        raise BridgeError("USAGE", f"params must be an object of name: value, not {params!r}")
    from freqtrade.exceptions import DependencyException
    from freqtrade.strategy.hyper import detect_all_parameters

    try:
        spaces = detect_all_parameters(strategy_cls)
    except DependencyException as exc:
        raise BridgeError("STRATEGY_LOAD", f"{strategy_cls.__name__}: {exc}") from exc
    known = {name: (space, p) for space, ps in spaces.items() for name, p in ps.items()}
    by_space: dict[str, dict[str, Any]] = {}
    for name, value in params.items():
        if name not in known:
            raise BridgeError(
                "USAGE",
                f"{strategy_cls.__name__} has no parameter {name!r}; known: {', '.join(sorted(known)) or 'none'}",
                details={"param": name, "known": sorted(known)},
            )
        space, param = known[name]
        if not param.load:
            raise BridgeError("USAGE", f"parameter {name!r} is declared with load=False, so it always uses its default")
        by_space.setdefault(space, {})[name] = _coerce_param(name, param, value)
    return by_space


def _coerce_param(name: str, param: Any, value: Any) -> Any:
    from freqtrade.strategy.parameters import (
        BooleanParameter,
        CategoricalParameter,
        DecimalParameter,
        IntParameter,
        NumericParameter,
    )

    def bad(expected: str) -> BridgeError:
        return BridgeError("USAGE", f"parameter {name!r}: {value!r} is not {expected}", details={"param": name})

    if isinstance(param, BooleanParameter):
        text = str(value).lower()
        if text not in ("true", "false", "1", "0"):
            raise bad("a boolean (true/false)")
        return text in ("true", "1")
    if isinstance(param, CategoricalParameter):
        for category in param.opt_range:
            if value == category or str(value) == str(category):
                return category
        raise bad(f"one of {list(param.opt_range)}")
    if isinstance(param, NumericParameter):
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise bad("a number") from None
        if isinstance(value, bool) or number != number:
            raise bad("a number")
        if isinstance(param, IntParameter):
            if number != int(number):
                raise bad("a whole number")
            number = int(number)
        elif isinstance(param, DecimalParameter):
            number = round(number, param.decimals)
        if not param.low <= number <= param.high:
            raise bad(f"within [{param.low}, {param.high}]")
        return number
    return value


# --- data ---------------------------------------------------------------------------------------


def check_data(datadir: Path, pairs: list[str], timeframe: str, trading_mode: str, timerange: str | None,
               strict: bool = False) -> None:
    """DATA_NOT_FOUND unless every pair has candles overlapping the timerange; bad-price rows warn,
    or under ``strict`` (--strict-data) are DATA_BAD_ROWS naming each pair and its count.

    Reads only each file's date column: Freqtrade loads the candles themselves in the backtest.
    """
    from freqtrade.configuration.timerange import TimeRange
    from freqtrade.data.history.datahandlers.featherdatahandler import FeatherDataHandler
    from freqtrade.enums import CandleType, TradingMode

    candle_type = CandleType.get_default(TradingMode(trading_mode))
    span = TimeRange.parse_timerange(timerange)
    start = span.startdt if span.starttype else None
    stop = span.stopdt if span.stoptype else None
    problems = {}
    bad_rows: dict[str, tuple[Path, int]] = {}
    for pair in pairs:
        path = FeatherDataHandler._pair_data_filename(datadir, pair, timeframe, candle_type)
        dates = _readable_span(path, pair, timeframe, datadir) if path.is_file() else None
        if dates is not None and (bad := _bad_prices(path, pair, warn=not strict)):
            bad_rows[pair] = (path, bad)
        if dates is None:
            problems[pair] = f"no {timeframe} candles ({path.name} missing or empty)"
        elif (stop and dates[0] >= stop) or (start and dates[1] < start):
            problems[pair] = f"{timeframe} candles cover {_iso(dates[0])} to {_iso(dates[1])}, outside {timerange}"
    if problems:
        within = f" within {timerange}" if timerange else ""
        raise BridgeError(
            "DATA_NOT_FOUND",
            f"no {timeframe} candles{within} for {', '.join(problems)} in {datadir}"
            + (f": {next(iter(problems.values()))}" if len(problems) == 1 else ""),
            hint=DATA_HINT,
            details={"missing": problems, "datadir": str(datadir), "timeframe": timeframe,
                     "timerange": timerange, "available": _available_data(datadir)},
        )
    if strict and bad_rows:
        _refuse_bad_rows(bad_rows, timeframe, datadir)


def _refuse_bad_rows(bad_rows: dict[str, tuple[Path, int]], timeframe: str, datadir: Path) -> None:
    from ..candles import reimport_hint

    named = "; ".join(f"{pair}: {bad} row(s) in {path}" for pair, (path, bad) in bad_rows.items())
    raise BridgeError(
        "DATA_BAD_ROWS",
        f"candles with NaN, zero or negative prices (refused under --strict-data): {named}",
        hint=" ".join(reimport_hint(path, pair, timeframe, datadir.name) for pair, (path, _) in bad_rows.items())
        + " Or run without --strict-data (data.strict false) to backtest with a warning.",
        details={"pairs": {pair: {"file": str(path), "badRows": bad} for pair, (path, bad) in bad_rows.items()},
                 "timeframe": timeframe},
    )


def _readable_span(path: Path, pair: str, timeframe: str, datadir: Path) -> tuple[datetime, datetime] | None:
    """The file's date span; a truncated or foreign file is DATA_UNREADABLE naming it (not an engine crash)."""
    from ..candles import reimport_hint

    try:
        return _date_span(path)
    except Exception as exc:  # noqa: BLE001 - pyarrow raises ArrowInvalid, OSError, ... for a damaged file
        raise BridgeError(
            "DATA_UNREADABLE",
            f"the candle file {path} cannot be read ({type(exc).__name__}): it is truncated or not a Freqtrade candle file",
            hint=reimport_hint(path, pair, timeframe, datadir.name),
            details={"file": str(path), "pair": pair, "timeframe": timeframe},
        ) from exc


def _bad_prices(path: Path, pair: str, warn: bool) -> int:
    """NaN, zero or negative prices: Freqtrade would trade on them silently; say so (pair and count).
    Returns the count of such rows."""
    import pyarrow.feather as feather

    from ..candles import PRICE_COLUMNS, bad_price_rows

    frame = feather.read_table(path, columns=list(PRICE_COLUMNS), memory_map=True).to_pandas()
    bad = bad_price_rows(frame)
    if bad and warn:
        protocol.emit("log", level="warning",
                      message=f"{pair}: {bad} candle row(s) with NaN, zero or negative prices in {path.name} "
                              "(`tradai data list` shows them; re-import the pair to fix them)")
    return int(bad)


def _date_span(path: Path) -> tuple[datetime, datetime] | None:
    import pyarrow.compute as pc
    import pyarrow.feather as feather

    dates = feather.read_table(path, columns=["date"], memory_map=True).column("date")
    if len(dates) == 0:
        return None
    span = pc.min_max(dates)
    return span["min"].as_py(), span["max"].as_py()


def _available_data(datadir: Path) -> list[dict[str, Any]]:
    available = []
    for path in sorted([*datadir.glob("*.feather"), *datadir.glob("futures/*.feather")]):
        info = parse_candle_filename(path.name)
        if info is None:
            continue
        try:
            dates = _date_span(path)
        except Exception:  # noqa: BLE001 - an unreadable file is listed without a span
            dates = None
        available.append({**info, "first": _iso(dates[0]) if dates else None,
                          "last": _iso(dates[1]) if dates else None, "file": str(path)})
    return available


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- backtest -----------------------------------------------------------------------------------


def run_backtesting(config_file: Path, overrides: dict[str, dict[str, Any]]):
    """Freqtrade's `backtesting` command on config_file, with progress events. Returns the strategy."""
    from freqtrade.commands.optimize_commands import setup_optimize_configuration
    from freqtrade.enums import RunMode
    from freqtrade.exceptions import ConfigurationError, OperationalException
    from freqtrade.optimize.backtesting import Backtesting

    try:
        config = setup_optimize_configuration({"config": [str(config_file)]}, RunMode.BACKTEST)
        relay = _ProgressRelay()
        backtesting = Backtesting(config, progress_callback=relay)
        relay.overall_task = backtesting._progress_task_overall
        strategy = backtesting.strategylist[0]
        for space, values in overrides.items():
            # Read by ft_load_hyper_params() when the backtest starts; the params file wins over
            # the class's own buy_params/sell_params, so request params go there.
            strategy._ft_params_from_file.setdefault(space, {}).update(values)
        backtesting.start()
    except ConfigurationError as exc:
        raise BridgeError("CONFIG", str(exc), details={"configFile": str(config_file)}) from exc
    except OperationalException as exc:
        known = freqtrade_errors.mapped(exc)  # no candles, a bad parameter file: freqtrade_errors.py
        if known:
            raise known from exc
        raise
    except ImportError as exc:  # Freqtrade's strategy sanity checks (order types, ...) raise these
        raise BridgeError("STRATEGY_LOAD", str(exc)) from exc
    return strategy


class _ProgressRelay:
    """Freqtrade's progress callback (called on every candle) -> throttled progress events."""

    def __init__(self) -> None:
        self.overall_task = None  # Freqtrade's bar over its 4 phases; the per-phase bar says more
        self._last = 0.0
        self._phase: str | None = None

    def __call__(self, task) -> None:
        if task.id == self.overall_task:
            return
        now = time.monotonic()
        finished = bool(task.total) and task.completed >= task.total
        if task.description == self._phase and not finished and now - self._last < PROGRESS_INTERVAL:
            return
        self._last, self._phase = now, task.description
        protocol.progress("backtest", int(task.completed), int(task.total) if task.total else None, task.description)


# --- results ------------------------------------------------------------------------------------


def extract_stats(run_dir: Path, cache: str) -> tuple[Path, Path]:
    """The zip Freqtrade exported (named by .last_result.json) and its stats JSON, extracted."""
    from freqtrade.constants import LAST_BT_RESULT_FN

    latest = run_dir / LAST_BT_RESULT_FN
    if not latest.is_file():
        raise BridgeError(
            "ENGINE",
            f"Freqtrade exported no result into {run_dir} ({LAST_BT_RESULT_FN} missing)",
            # Freqtrade exports nothing when it reuses a cached result (from user_data/backtest_results).
            hint="run with --cache none" if cache != "none" else None,
        )
    result_file = run_dir / json.loads(latest.read_text(encoding="utf-8"))["latest_backtest"]
    stats_name = result_file.with_suffix(".json").name
    with zipfile.ZipFile(result_file) as archive:
        archive.extract(stats_name, run_dir)
    return result_file, run_dir / stats_name


def copy_strategy(strategy, strategy_file: Path, target: Path, overridden: bool) -> list[Path]:
    """The strategy source and the params it ran with, so the run directory reproduces the run."""
    target.mkdir(exist_ok=True)
    files = [Path(shutil.copy2(strategy_file, target / strategy_file.name))]
    params_file = strategy_file.with_suffix(".json")
    params_copy = target / params_file.name
    if overridden:
        # The params file as Freqtrade reads it, with the request's params merged in.
        params = {"strategy_name": type(strategy).__name__, "params": strategy._ft_params_from_file,
                  "ft_stratparam_v": 1, "export_time": datetime.now(UTC).isoformat()}
        params_copy.write_text(json.dumps(params, indent=2) + "\n", encoding="utf-8")
        files.append(params_copy)
    elif params_file.is_file():
        files.append(Path(shutil.copy2(params_file, params_copy)))
    return files
