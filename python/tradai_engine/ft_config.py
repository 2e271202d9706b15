"""The Freqtrade configuration of a backtest request (docs/bridge-protocol.md, "backtest").

A ``null`` request field falls back to the strategy's metadata (TradAIStrategy.strategy_metadata),
then to the strategy class's own attribute, then to tradai's default. Every value is validated
here so a mistake is a USAGE error naming the value, not a Freqtrade failure deep in the run.

The user's own Freqtrade config (the strategy's configuration file, --freqtrade-config files; see
user_config.py) sits between: flags and environment (request fields whose ``settingSources`` kind
is flag/env) override it, project settings (kind file) and everything below fill only what it
leaves unset. Without a user config the result is exactly tradai's config.
"""

from __future__ import annotations

import math
from copy import deepcopy
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
# Request field -> the Freqtrade key that holds it (a user config may set either).
FIELD_KEYS = {
    "exchange": ("exchange", "name"),
    "pairs": ("exchange", "pair_whitelist"),
    "timeframe": ("timeframe",),
    "timerange": ("timerange",),
    "stakeCurrency": ("stake_currency",),
    "stakeAmount": ("stake_amount",),
    "startingBalance": ("dry_run_wallet",),
    "maxOpenTrades": ("max_open_trades",),
    "fee": ("fee",),
    "tradingMode": ("trading_mode",),
}
STRONG_SOURCES = ("flag", "env")


def metadata_value(strategy_cls: type, name: str) -> Any:
    """A field of the class's strategy_metadata (an object or a dict), None when absent."""
    metadata = getattr(strategy_cls, "strategy_metadata", None)
    if isinstance(metadata, dict):
        return metadata.get(name)
    return getattr(metadata, name, None)


def build_config(request: dict, strategy_cls: type, strategy_file: Path) -> dict[str, Any]:
    """Freqtrade config dict for ``request`` running ``strategy_cls`` (defined in ``strategy_file``);
    BridgeError(USAGE) for an invalid value, BridgeError(CONFIG) for an invalid user config."""
    return build_config_with_sources(request, strategy_cls, strategy_file)[0]


def build_config_with_sources(request: dict, strategy_cls: type, strategy_file: Path):
    """(config, sources, user): ``sources`` maps every dotted leaf key of the config to where its
    value came from; ``user`` is the user_config.UserConfig that was merged in."""
    from .user_config import MANAGED_KEYS, check_offline_pairlists, leaf_keys, load_user_config

    user = load_user_config(request, strategy_file)
    effective, chosen = _layered_request(request, user.config, user.sources)
    config = _tradai_config(effective, strategy_cls, strategy_file)
    decided = {key: label or _fallback_source(strategy_cls, field)
               for field, label in chosen.items() for key in [".".join(FIELD_KEYS[field])]}
    if user.config:
        from freqtrade.misc import deep_merge_dicts

        tradai = deepcopy(config)
        # User keys survive, tradai's fill what is unset; then tradai's decisions (flags, managed keys) win.
        config = deep_merge_dicts(deepcopy(user.config), deepcopy(config))
        for path in FIELD_KEYS.values():
            value = _get(tradai, path)
            if value is not None:
                _set(config, path, value)
        for key in ("strategy", "strategy_path", "user_data_dir", "datadir", "dataformat_ohlcv", "backtest_cache",
                    "export", "exportdirectory", "dry_run"):
            config[key] = tradai[key]
        config["exchange"]["key"], config["exchange"]["secret"] = "", ""
        if "pairlists" in user.config:
            check_offline_pairlists(config, user.sources)
    sources = {}
    for key in leaf_keys(config):
        if key in decided:
            sources[key] = decided[key]
        elif key in user.sources:
            sources[key] = user.sources[key]
        elif key.split(".")[0] in MANAGED_KEYS or key in ("exchange.key", "exchange.secret"):
            sources[key] = "tradai (managed)"
        else:
            sources[key] = "tradai default"
    return config, sources, user


def _layered_request(request: dict, user: dict[str, Any], user_sources: dict[str, str]):
    """The request with each field taken from the strongest layer that sets it, and each field's
    source label (None: left to the strategy metadata / class / tradai default)."""
    given = request.get("settingSources") or {}
    effective, chosen = dict(request), {}
    for field, path in FIELD_KEYS.items():
        value, origin = request.get(field), given.get(field) or {}
        kind, label = origin.get("kind"), origin.get("label") or "request"
        from_user = _get(user, path)
        if value is not None and (kind in STRONG_SOURCES or kind is None or from_user is None):
            chosen[field] = label
        elif from_user is not None:
            effective[field], chosen[field] = from_user, user_sources.get(".".join(path)) or "user config"
        else:
            chosen[field] = None
    return effective, chosen


def _fallback_source(strategy_cls: type, field: str) -> str:
    if field == "stakeCurrency":
        return "the pairs' quote currency"
    names = {"pairs": "default_pairs", "exchange": "exchange", "timeframe": "timeframe", "tradingMode": "trading_mode"}
    if field in names and metadata_value(strategy_cls, names[field]) is not None:
        return "strategy metadata"
    attrs = {"timeframe": "timeframe", "stakeAmount": "stake_amount", "maxOpenTrades": "max_open_trades"}
    if field in attrs and getattr(strategy_cls, attrs[field], None) is not None:
        return "strategy class"
    return "tradai default"


def _get(config: dict[str, Any], path: tuple[str, ...]) -> Any:
    node: Any = config
    for part in path:
        node = node.get(part) if isinstance(node, dict) else None
    return node


def _set(config: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    node = config
    for part in path[:-1]:
        node = node.setdefault(part, {})
    node[path[-1]] = value


def _tradai_config(request: dict, strategy_cls: type, strategy_file: Path) -> dict[str, Any]:
    """tradai's own Freqtrade config for a request (no user config)."""
    exchange = _first(request.get("exchange"), metadata_value(strategy_cls, "exchange"), DEFAULT_EXCHANGE)
    if not isinstance(exchange, str) or not exchange.strip():
        raise BridgeError("USAGE", f"exchange {exchange!r} is not an exchange id (e.g. binance)")
    exchange = exchange.strip().lower()
    trading_mode = _first(request.get("tradingMode"), metadata_value(strategy_cls, "trading_mode"), "spot")
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
