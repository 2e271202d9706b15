"""The bot's own trade database read back: trades, their orders, and Freqtrade's statistics.

Nothing is recomputed by tradai: trades and orders are Freqtrade's rows (Trade/Order.to_json),
and the statistics are Freqtrade's backtest report generator (generate_strategy_stats) run on
the closed trades of the database, so the shadow's numbers and a backtest's share one formula.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

CANCELLATIONS_FILE = "cancellations.ndjson"


def read_session(session_dir: Path, config: dict[str, Any], window_start: datetime | None, window_end: datetime | None) -> dict[str, Any]:
    from freqtrade.data.btanalysis import trade_list_to_dataframe
    from freqtrade.optimize.optimize_reports import generate_strategy_stats
    from freqtrade.persistence import Trade, init_db

    from freqtrade.resolvers import StrategyResolver

    # The strategy fills the config with its own settings (stoploss, ROI...), as in the bot.
    config = {**config, "runmode": None, "user_data_dir": Path(config["user_data_dir"]), "datadir": Path(config["datadir"])}
    StrategyResolver.load_strategy(config)
    db = session_dir / "trades.sqlite"
    init_db(f"sqlite:///{db}")
    trades = list(Trade.get_trades([]).all())
    rows = []
    for trade in trades:
        row = trade.to_json()
        row["orders"] = [order.to_json(trade.entry_side) for order in trade.orders]
        rows.append(row)
    closed = [trade for trade in trades if not trade.is_open]
    cancellations = _cancellations(session_dir)
    results = trade_list_to_dataframe(closed)
    start = window_start or (min((t.open_date_utc for t in trades), default=datetime.now(UTC)))
    end = window_end or (max((t.close_date_utc or t.open_date_utc for t in trades), default=start))
    balance = float(config["dry_run_wallet"])
    final_balance = balance + float(results["profit_abs"].sum()) if len(results) else balance
    pairs = config["exchange"]["pair_whitelist"]
    stats = generate_strategy_stats(
        pairs,
        config["strategy"],
        {
            "results": results,
            "config": config,
            "locks": [],
            "rejected_signals": 0,
            "timedout_entry_orders": cancellations["entry"],
            "timedout_exit_orders": cancellations["exit"],
            "canceled_trade_entries": cancellations["entry"],
            "canceled_entry_orders": cancellations["entry"],
            "replaced_entry_orders": 0,
            "final_balance": final_balance,
            "backtest_start_time": int(start.timestamp()),
            "backtest_end_time": int(end.timestamp()),
        },
        start,
        end,
        market_change=_market_change(config, pairs, start, end),
    )
    orders = [order for row in rows for order in row["orders"]]
    return {
        "trades": rows,
        "stats": stats,
        "counts": {
            "trades": len(rows),
            "closedTrades": len(closed),
            "openTrades": len(rows) - len(closed),
            "orders": len(orders),
            "filledOrders": sum(1 for o in orders if o.get("status") == "closed"),
            "cancelledOrders": sum(1 for o in orders if o.get("status") in ("canceled", "cancelled", "expired")),
            # Entries that timed out unfilled: Freqtrade deletes their trade, the notification is the record.
            "cancelledEntries": cancellations["entry"],
            "cancelledExits": cancellations["exit"],
        },
        "cancellations": cancellations["events"],
    }


def _cancellations(session_dir: Path) -> dict[str, Any]:
    path = session_dir / CANCELLATIONS_FILE
    events = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()] if path.is_file() else []
    return {"entry": sum(1 for e in events if e["type"] == "entry_cancel"),
            "exit": sum(1 for e in events if e["type"] == "exit_cancel"), "events": events}


def _market_change(config: dict[str, Any], pairs: list[str], start: datetime, end: datetime) -> float:
    """Freqtrade's market change over the window (what a backtest reports), from the same candles."""
    from freqtrade.configuration.timerange import TimeRange
    from freqtrade.data.history import load_data
    from freqtrade.data.metrics import calculate_market_change

    try:
        data = load_data(Path(config["datadir"]), config["timeframe"], pairs,
                         timerange=TimeRange("date", "date", int(start.timestamp()), int(end.timestamp())),
                         data_format="feather")
        return float(calculate_market_change(data, "close")) if data else 0.0
    except Exception:  # noqa: BLE001 - live sessions may have no local candles
        return 0.0


class CancellationLog:
    """Records Freqtrade's entry_cancel / exit_cancel notifications (observed, not acted on)."""

    def __init__(self, session_dir: Path):
        self.path = session_dir / CANCELLATIONS_FILE

    def wrap(self, rpc_manager) -> None:
        original = rpc_manager.send_msg

        def send_msg(msg: dict[str, Any]) -> None:
            kind = str(msg.get("type", ""))
            if kind in ("entry_cancel", "exit_cancel"):
                entry = {"type": kind, "tradeId": msg.get("trade_id"), "pair": msg.get("pair"),
                         "reason": msg.get("reason"), "at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")}
                with self.path.open("a", encoding="utf-8") as handle:
                    handle.write(json.dumps(entry) + "\n")
            original(msg)

        rpc_manager.send_msg = send_msg
