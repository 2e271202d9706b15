"""The Freqtrade configuration of a backtest request (docs/bridge-protocol.md, "backtest").

A ``null`` request field falls back to the strategy's metadata (TradAIStrategy.strategy_metadata),
then to the strategy class's own attribute, then to tradai's default. Every value is validated
here so a mistake is a USAGE error naming the value, not a Freqtrade failure deep in the run.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from .pairs import TIMEFRAMES, parse_pair
from .protocol import BridgeError

DEFAULT_EXCHANGE = "binance"
DEFAULT_TIMEFRAME = "5m"
DEFAULT_MAX_OPEN_TRADES = 3
DEFAULT_STAKE_AMOUNT = "unlimited"
CACHE_CHOICES = ("none", "day", "week", "month")  # freqtrade.constants.BACKTEST_CACHE_AGE
TRADING_MODES = ("spot", "futures", "margin")


def metadata_value(strategy_cls: type, name: str) -> Any:
    """A field of the class's strategy_metadata (an object or a dict), None when absent."""
    metadata = getattr(strategy_cls, "strategy_metadata", None)
    if isinstance(metadata, dict):
        return metadata.get(name)
    return getattr(metadata, name, None)


def build_config(request: dict, strategy_cls: type, strategy_file: Path) -> dict[str, Any]:
    """Freqtrade config dict for ``request`` running ``strategy_cls`` (defined in ``strategy_file``);
    BridgeError(USAGE) for an invalid value."""
    exchange = _first(request.get("exchange"), metadata_value(strategy_cls, "exchange"), DEFAULT_EXCHANGE)
    if not isinstance(exchange, str) or not exchange.strip():
        raise BridgeError("USAGE", f"exchange {exchange!r} is not an exchange id (e.g. binance)")
    exchange = exchange.strip().lower()
    trading_mode = _first(metadata_value(strategy_cls, "trading_mode"), "spot")
    if trading_mode not in TRADING_MODES:
        raise BridgeError("USAGE", f"trading mode {trading_mode!r} is not one of {', '.join(TRADING_MODES)}")

    timeframe = _first(request.get("timeframe"), metadata_value(strategy_cls, "timeframe"),
                       getattr(strategy_cls, "timeframe", None), DEFAULT_TIMEFRAME)
    if timeframe not in TIMEFRAMES:
        raise BridgeError("USAGE", f"timeframe {timeframe!r} is not known; use one of {', '.join(TIMEFRAMES)}")

    pairs = _pairs(request.get("pairs") or metadata_value(strategy_cls, "default_pairs"), trading_mode)
    stake_currency = _stake_currency(request.get("stakeCurrency"), pairs)
    timerange = _timerange(request.get("timerange"))

    cache = request.get("cache") or "none"
    if cache not in CACHE_CHOICES:
        raise BridgeError("USAGE", f"cache {cache!r} is not one of {', '.join(CACHE_CHOICES)}")

    user_data_dir = Path(request["userDataDir"])
    config: dict[str, Any] = {
        # The class and its own folder: the request may name the strategy by its metadata name
        # or find it in a subfolder, Freqtrade's resolver wants the class name and the folder.
        "strategy": strategy_cls.__name__,
        "strategy_path": str(strategy_file.parent),
        "user_data_dir": str(user_data_dir),
        # Freqtrade derives datadir from user_data_dir and the exchange; written for the reader.
        "datadir": str(user_data_dir / "data" / exchange),
        "dataformat_ohlcv": "feather",
        "exchange": {"name": exchange, "key": "", "secret": "", "pair_whitelist": pairs, "pair_blacklist": []},
        "pairlists": [{"method": "StaticPairList"}],
        "timeframe": timeframe,
        "trading_mode": trading_mode,
        "margin_mode": "isolated" if trading_mode != "spot" else "",
        "stake_currency": stake_currency,
        "stake_amount": _stake_amount(_first(request.get("stakeAmount"), getattr(strategy_cls, "stake_amount", None),
                                             DEFAULT_STAKE_AMOUNT)),
        "dry_run": True,
        "dry_run_wallet": _positive("startingBalance", _first(request.get("startingBalance"),
                                                              1.0 if stake_currency == "BTC" else 1000.0)),
        "max_open_trades": _max_open_trades(_first(request.get("maxOpenTrades"),
                                                   getattr(strategy_cls, "max_open_trades", None),
                                                   DEFAULT_MAX_OPEN_TRADES)),
        # Freqtrade silently reuses a cached result by default; tradai decides (request "cache").
        "backtest_cache": cache,
        "export": "trades",
        "exportdirectory": request["runDir"],
        "entry_pricing": {
            "price_side": "same",
            "use_order_book": False,
            "order_book_top": 1,
            "price_last_balance": 0.0,
            "check_depth_of_market": {"enabled": False, "bids_to_ask_delta": 1},
        },
        "exit_pricing": {"price_side": "same", "use_order_book": False, "order_book_top": 1},
    }
    if timerange:
        config["timerange"] = timerange
    if request.get("fee") is not None:
        fee = request["fee"]
        if not _is_number(fee) or not 0 <= fee < 1:
            raise BridgeError("USAGE", f"fee {fee!r} must be a fraction between 0 and 1 (0.001 = 0.1%)")
        config["fee"] = fee
    return config


def _first(*values: Any) -> Any:
    return next((v for v in values if v is not None), None)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _pairs(pairs: Any, trading_mode: str) -> list[str]:
    if not pairs:
        raise BridgeError("USAGE", "no pairs to backtest: the strategy declares no default_pairs",
                          hint="pass --pairs, e.g. --pairs ETH/BTC LTC/BTC")
    if isinstance(pairs, str) or not isinstance(pairs, (list, tuple)):
        raise BridgeError("USAGE", f"pairs must be a list of pairs, not {pairs!r}")
    for pair in pairs:
        try:
            _base, quote, settle = parse_pair(pair)
        except ValueError as exc:
            raise BridgeError("USAGE", str(exc), details={"pair": pair}) from exc
        if trading_mode == "futures" and not settle:
            raise BridgeError("USAGE", f"{pair!r} is a spot pair but the strategy trades futures; write it as {pair}:{quote}",
                              details={"pair": pair})
        if trading_mode != "futures" and settle:
            raise BridgeError("USAGE", f"{pair!r} is a futures pair but the strategy trades {trading_mode}",
                              details={"pair": pair})
    return list(dict.fromkeys(pairs))  # drop repeats, keep order


def _stake_currency(requested: Any, pairs: list[str]) -> str:
    # A futures pair is staked in its settle currency, a spot pair in its quote currency.
    quotes = sorted({settle or quote for _base, quote, settle in map(parse_pair, pairs)})
    if len(quotes) > 1:
        raise BridgeError("USAGE", f"pairs mix quote currencies {', '.join(quotes)}; one backtest stakes one currency",
                          hint="backtest each quote currency separately", details={"quotes": quotes})
    if requested is None:
        return quotes[0]
    if not isinstance(requested, str) or requested.upper() != quotes[0]:
        raise BridgeError("USAGE", f"stake currency {requested!r} does not match the pairs' quote currency {quotes[0]}")
    return quotes[0]


def _stake_amount(value: Any) -> str | float:
    if value == "unlimited":
        return value
    return _positive("stakeAmount", value, extra=' or "unlimited"')


def _positive(name: str, value: Any, extra: str = "") -> float:
    if not _is_number(value) or value <= 0:
        raise BridgeError("USAGE", f"{name} {value!r} must be a positive number{extra}")
    return value


def _max_open_trades(value: Any) -> int:
    # -1 (or inf in a strategy class) means no limit; Freqtrade's config takes -1 for that.
    if _is_number(value) and value == int(value) and value >= -1:
        return int(value)
    if value == math.inf:
        return -1
    raise BridgeError("USAGE", f"maxOpenTrades {value!r} must be a whole number (-1 for no limit)")


def _timerange(value: Any) -> str | None:
    if value is None or value == "":
        return None
    from freqtrade.configuration.timerange import TimeRange
    from freqtrade.exceptions import ConfigurationError

    try:
        TimeRange.parse_timerange(str(value))
    except ConfigurationError as exc:
        raise BridgeError("USAGE", f"{exc}; use YYYYMMDD-YYYYMMDD, YYYYMMDD- or -YYYYMMDD",
                          details={"timerange": value}) from exc
    return str(value)
