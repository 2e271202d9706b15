"""Freqtrade's own dry-run bot, driven to the end of a window (or until told to stop).

Nothing here handles an order: FreqtradeBot places, fills (Exchange.create_dry_run_order /
fetch_dry_run_order against the replayed book), times out and persists every order itself. The
driver only runs Worker._worker() in a loop, checks for the end of the window and for a stop
(SIGTERM/SIGINT, or the bot's own /stop), and at the window's end force-exits the open trades
through Freqtrade's RPC, as a backtest closes them on its last candle.
"""

from __future__ import annotations

import json
import signal
import threading
import time
from pathlib import Path
from typing import Any

from .. import protocol
from ..protocol import BridgeError
from .session import StateFile
from .trades import CancellationLog

API_HOST = "127.0.0.1"
FINAL_STEPS = 3  # loops after the final force-exit, for its orders to fill


def trade_config(base: dict[str, Any], session_dir: Path, api_port: int, throttle_secs: int, live: bool) -> dict[str, Any]:
    """The dry-run config: the backtest's config (ft_config.build_config) minus the backtest-only
    keys, plus the trade database, the REST API and the loop settings. No secret is in it: the
    API credentials (and a live run's exchange keys) reach Freqtrade as FREQTRADE__* variables."""
    config = {k: v for k, v in base.items() if k not in ("backtest_cache", "export", "exportdirectory", "timerange")}
    config.update(
        {
            "db_url": f"sqlite:///{session_dir / 'trades.sqlite'}",
            "bot_name": f"tradai-shadow-{session_dir.name}",
            "initial_state": "running",
            "force_entry_enable": False,
            "cancel_open_orders_on_exit": False,
            "internals": {"process_throttle_secs": throttle_secs, "heartbeat_interval": 0},
            # The schema asks for both blocks even when a channel is off.
            "telegram": {"enabled": False, "token": "", "chat_id": ""},
            "api_server": {
                "enabled": True,
                "listen_ip_address": API_HOST,
                "listen_port": api_port,
                "verbosity": "error",
                "enable_openapi": False,
                "jwt_secret_key": "",
                "ws_token": "",
                "CORS_origins": [],
                "username": "",
                "password": "",
            },
        }
    )
    config["exchange"] = {**config["exchange"], "enable_ws": live}
    return config


class StopRequest:
    """SIGTERM/SIGINT set it; the loop checks it between iterations (trades are committed by then)."""

    def __init__(self) -> None:
        self.event = threading.Event()
        self.signal: str | None = None
        self._previous: dict[int, Any] = {}

    def __enter__(self) -> "StopRequest":
        for sig in (signal.SIGTERM, signal.SIGINT):
            self._previous[sig] = signal.signal(sig, self._handle)
        return self

    def __exit__(self, *exc) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)

    def _handle(self, signum, _frame) -> None:
        self.signal = signal.Signals(signum).name
        self.event.set()


def load_config(config_file: Path) -> dict[str, Any]:
    """Freqtrade's own configuration loading (validation, defaults, FREQTRADE__* variables)."""
    from freqtrade.configuration import Configuration
    from freqtrade.enums import RunMode
    from freqtrade.exceptions import ConfigurationError, OperationalException

    try:
        return Configuration({"config": [str(config_file)]}, RunMode.DRY_RUN).get_config()
    except (ConfigurationError, OperationalException) as exc:
        raise BridgeError("CONFIG", f"Freqtrade rejected the shadow config: {exc}", details={"configFile": str(config_file)}) from exc


def drive(config: dict[str, Any], state: StateFile, stop: StopRequest, clock=None, window_end: float | None = None,
          window_start: float | None = None, timeframe_secs: int = 300) -> str:
    """Run the bot until the window ends ('completed') or a stop ('stopped'). Returns the status."""
    from freqtrade.enums import State
    from freqtrade.persistence import Trade
    from freqtrade.rpc import RPC
    from freqtrade.worker import Worker

    from freqtrade.exceptions import ConfigurationError

    try:
        worker = Worker(args={}, config=config)
    except ConfigurationError as exc:
        raise BridgeError("CONFIG", f"Freqtrade rejected the shadow config: {exc}") from exc
    bot = worker.freqtrade
    CancellationLog(state.path.parent).wrap(bot.rpc)

    def pending() -> bool:
        return len(Trade.get_open_trades()) > 0

    if clock is not None:
        # An instance attribute shadows the static method; Worker._throttle calls self._sleep().
        worker._sleep = clock.sleeper(pending)  # type: ignore[method-assign]

    candles_total = int((window_end - window_start) // timeframe_secs) if window_end and window_start else None
    wall_start = time.monotonic()

    def report(force: bool = False, **extra: Any) -> None:
        now = time.time()
        done = int(max(now - window_start, 0) // timeframe_secs) if window_start else None
        if candles_total is not None and done is not None:
            done = min(done, candles_total)
        written = state.update(
            force=force,
            virtualTime=_iso(now),
            candlesDone=done,
            candlesTotal=candles_total,
            openTrades=len(Trade.get_open_trades()),
            closedTrades=Trade.get_trades_proxy(is_open=False).__len__(),
            wallSeconds=round(time.monotonic() - wall_start, 3),
            steps=clock.steps if clock else None,
            **extra,
        )
        if written:
            # The message names the virtual hour (not the second), so CI's one-line-per-new-message stays readable.
            protocol.progress("running", done or 0, candles_total,
                              f"virtual {_iso(now)[:13]}:00Z · {state.state['closedTrades']} closed, {state.state['openTrades']} open trades")

    status = "completed"
    old_state = None
    try:
        report(force=True, status="running")
        protocol.stage("running", "start", f"api on {API_HOST}:{config['api_server']['listen_port']}")
        while True:
            old_state = worker._worker(old_state=old_state)
            if stop.event.is_set():
                status = "stopped"
                break
            if bot.state == State.STOPPED and old_state == State.STOPPED:
                status = "stopped"  # the bot's own /stop
                break
            if window_end is not None and time.time() >= window_end:
                # As a backtest does on its last candle: close what is still open, at the market.
                RPC(bot)._rpc_force_exit("all")
                for _ in range(FINAL_STEPS):
                    if not pending():
                        break
                    bot.process()
                break
            report()
    finally:
        report(force=True)
        bot.state = State.STOPPED
        worker.exit()
    protocol.stage("running", "done", status)
    return status


def _iso(ts: float) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, indent=2, default=str) + "\n", encoding="utf-8")
