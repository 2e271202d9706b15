"""shadow: Freqtrade's dry-run bot on a replayed market (or, live, on the exchange's public data).

Request (docs/bridge-protocol.md, "shadow"): the backtest's fields (strategy, strategyPath,
userDataDir, exchange, pairs, timeframe, timerange, stakeAmount, startingBalance, maxOpenTrades,
fee) plus sessionDir, mode ("replay" | "live"), apiPort, speed (null = as fast as possible, or a
factor of real time), spreadBps, throttleSecs. The REST API's credentials come as
FREQTRADE__API_SERVER__USERNAME/PASSWORD/JWT_SECRET_KEY in the environment, never in a file.

Replay: the candles of the window are checked like a backtest's, then the ccxt exchange classes
answer from them (shadow/feed.py) under a frozen clock (shadow/clock.py). Every patch (markets,
feed) is undone when the operation ends.
"""

from __future__ import annotations


from datetime import UTC, datetime, timedelta
from pathlib import Path

from .. import protocol
from ..ft_config import build_config
from ..prepare import offline_markets
from ..pairs import timeframe_seconds
from ..protocol import BridgeError
from ..requests import optional, require
from ..shadow import bot, feed
from ..shadow.clock import CANDLE_OFFSET_SECONDS, VirtualClock
from ..shadow.demo import apply_demo, keys_source
from ..shadow.session import StateFile
from .backtest import DATA_HINT, check_data, find_strategy

DEFAULT_THROTTLE_SECS = 75  # 4 looks per 5m candle while a trade or order is open


def run(request: dict) -> dict:
    session_dir = Path(require(request, "sessionDir", str))
    session_dir.mkdir(parents=True, exist_ok=True)
    mode = optional(request, "mode", str, "replay")
    if mode not in ("replay", "live"):
        raise BridgeError("USAGE", f"shadow mode {mode!r} is not replay or live")
    api_port = require(request, "apiPort", int)
    throttle = int(optional(request, "throttleSecs", int, DEFAULT_THROTTLE_SECS))
    speed = optional(request, "speed", (int, float), None)
    spread = float(optional(request, "spreadBps", (int, float), feed.DEFAULT_SPREAD_BPS))
    state = StateFile(session_dir)
    state.update(force=True, status="starting", mode=mode)
    try:
        return _run(request, session_dir, mode, api_port, throttle, speed, spread, state)
    except BaseException as exc:
        if state.state.get("status") in ("starting", "running"):
            message = exc.message if isinstance(exc, BridgeError) else f"{type(exc).__name__}: {exc}"
            state.update(force=True, status="failed", error=message)
        raise


def _run(request, session_dir, mode, api_port, throttle, speed, spread, state) -> dict:
    from freqtrade import __version__ as freqtrade_version
    from freqtrade.enums import CandleType, TradingMode

    protocol.stage("strategy", "start")
    entry = find_strategy(require(request, "strategy", str), require(request, "strategyPath", str))
    strategy_cls, strategy_file = entry.cls, Path(entry.file)
    base = build_config({**request, "runDir": str(session_dir)}, strategy_cls, strategy_file)
    config = bot.trade_config(base, session_dir, api_port, throttle, live=mode == "live")
    demo = mode == "live" and bool(request.get("demo"))
    if demo:
        # Freqtrade's demo accounts (shadow/demo.py); keys only as FREQTRADE__EXCHANGE__* variables.
        config = apply_demo(config)
        state.update(force=True, demo=True, exchangeKeys=keys_source())
    pairs, timeframe = config["exchange"]["pair_whitelist"], config["timeframe"]
    exchange = config["exchange"]["name"]
    protocol.stage("strategy", "done", f"{entry.class_name} from {strategy_file}")

    tf_secs = timeframe_seconds(timeframe)
    start = end = None
    undo: list[tuple] = []
    replay_feed = None
    if mode == "live":
        from ..network import require_reachable

        protocol.stage("data", "start")
        require_reachable(exchange, demo=demo)  # NETWORK (exit 3) within seconds when offline
        protocol.stage("data", "done", "live public data")
    else:
        protocol.stage("data", "start")
        datadir = Path(config["datadir"])
        check_data(datadir, pairs, timeframe, config["trading_mode"], base.get("timerange"))
        candle_type = CandleType.get_default(TradingMode(config["trading_mode"]))
        from freqtrade.data.history.datahandlers.featherdatahandler import FeatherDataHandler

        files = {pair: FeatherDataHandler._pair_data_filename(datadir, pair, timeframe, candle_type) for pair in pairs}
        replay_feed = feed.ReplayFeed.from_files(files, timeframe, candle_type.value, "feather", spread)
        start, end = _window(replay_feed, base.get("timerange"), tf_secs, int(getattr(strategy_cls, "startup_candle_count", 0) or 0))
        state.update(force=True, windowStart=_iso(start), windowEnd=_iso(end))
        protocol.stage("data", "done", f"{len(pairs)} pair(s), {timeframe}, {_iso(start)} to {_iso(end)}")

    protocol.stage("bot", "start")
    # Restore ccxt's markets/fetch afterwards: the patches belong to this operation only.
    undo += feed.snapshot(exchange, ("load_markets", "fetch"))
    try:
        if mode == "replay":
            offline_markets(config, request["userDataDir"])  # USAGE naming a pair the snapshot lacks
            undo_feed = feed.install(replay_feed, exchange)
        else:
            undo_feed = lambda: None  # noqa: E731
        try:
            return _trade(config, session_dir, state, mode, start, end, tf_secs, speed, entry, pairs, exchange, freqtrade_version)
        finally:
            undo_feed()
    finally:
        feed.restore(undo)


def _trade(config, session_dir, state, mode, start, end, tf_secs, speed, entry, pairs, exchange, freqtrade_version) -> dict:
    config_file = session_dir / "config.json"
    bot.write_json(config_file, config)  # no secret in it: see bot.trade_config
    with bot.StopRequest() as stop:
        if mode == "replay":
            # The first decision is on the window's first closed candle, as in the backtest.
            first = start + timedelta(seconds=tf_secs + CANDLE_OFFSET_SECONDS)
            with VirtualClock(first, end, tf_secs, speed) as clock:
                ft_config = bot.load_config(config_file)
                protocol.stage("bot", "done", f"Freqtrade {freqtrade_version} dry-run, api 127.0.0.1:{config['api_server']['listen_port']}")
                status = bot.drive(ft_config, state, stop, clock, end.timestamp(), start.timestamp(), tf_secs)
                virtual_end = clock.now()
        else:
            ft_config = bot.load_config(config_file)
            protocol.stage("bot", "done", f"Freqtrade {freqtrade_version} dry-run (live data)")
            status = bot.drive(ft_config, state, stop, None, end.timestamp() if end else None, None, tf_secs)
            virtual_end = datetime.now(UTC).timestamp()
    state.update(force=True, status=status, stoppedBy=stop.signal, virtualEnd=_iso_ts(virtual_end))
    return {
        "sessionDir": str(session_dir),
        "status": status,
        "mode": mode,
        "configFile": str(config_file),
        "dbFile": str(session_dir / "trades.sqlite"),
        "window": {"start": _iso(start) if start else None, "end": _iso(end) if end else None},
        "virtualEnd": _iso_ts(virtual_end),
        "wallSeconds": state.state.get("wallSeconds"),
        "steps": state.state.get("steps"),
        "strategy": {"name": entry.name, "className": entry.class_name, "file": entry.file},
        "exchange": exchange,
        "pairs": pairs,
        "timeframe": config["timeframe"],
        "stakeCurrency": config["stake_currency"],
        "engine": {"freqtrade": freqtrade_version},
    }


def _window(replay_feed: feed.ReplayFeed, timerange: str | None, tf_secs: int, startup: int) -> tuple[datetime, datetime]:
    """The replay window [start, end) from the timerange, bounded by the candles every pair has.

    USAGE when the window holds no more candles than the strategy needs to warm up beyond the
    history before it (its indicators would never settle inside the window)."""
    from freqtrade.configuration.timerange import TimeRange

    firsts = [s.times[0] for s in replay_feed.series.values() if s.times]
    lasts = [s.times[-1] for s in replay_feed.series.values() if s.times]
    data_start, data_end = max(firsts) / 1000, min(lasts) / 1000 + tf_secs
    span = TimeRange.parse_timerange(timerange)
    start = max(span.startts if span.starttype else data_start + startup * tf_secs, data_start)
    end = min(span.stopts if span.stoptype else data_end, data_end)
    before = int((start - data_start) // tf_secs)
    window = int((end - start) // tf_secs)
    if window <= max(startup - before, 0) or window < 2:
        raise BridgeError(
            "USAGE",
            f"the replay window {_iso_ts(start)} to {_iso_ts(end)} holds {max(window, 0)} candles, not more than the "
            f"strategy's startup_candle_count {startup} needs beyond the {before} candles before it",
            hint=f"start the window later or make it longer (candles from {_iso_ts(data_start)} to {_iso_ts(data_end)}); {DATA_HINT}",
            details={"startupCandles": startup, "windowCandles": window, "candlesBefore": before},
        )
    return datetime.fromtimestamp(start, UTC), datetime.fromtimestamp(end, UTC)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _iso_ts(ts: float) -> str:
    return _iso(datetime.fromtimestamp(ts, UTC))



