"""data-download: Freqtrade's download-data for the given pairs and timeframes.

The exchange's API host is probed first: without a network Freqtrade would retry for minutes
before failing, tradai fails within seconds and says how to work offline instead.
"""

from __future__ import annotations

from .. import protocol
from ..candles import STORE_FORMAT, candle_file, exchange_dir, load, summarize
from ..network import require_reachable
from ..pairs import parse_pair, timeframe_seconds
from ..protocol import BridgeError
from ..requests import optional, require


def run(request: dict) -> dict:
    user_data_dir = require(request, "userDataDir", str)
    exchange = require(request, "exchange", str)
    pairs = require(request, "pairs", list)
    timeframes = require(request, "timeframes", list)
    timerange = optional(request, "timerange", str)
    days = optional(request, "days", int)
    if timerange and days:
        raise BridgeError("USAGE", f"pass a timerange ({timerange}) or a number of days ({days}), not both")
    try:
        futures = [parse_pair(p)[2] is not None for p in pairs]
        for timeframe in timeframes:
            timeframe_seconds(timeframe)
    except (ValueError, TypeError) as exc:
        raise BridgeError("USAGE", str(exc), hint="pairs look like ETH/BTC (BTC/USDT:USDT for futures), timeframes like 5m") from exc
    if any(futures) and not all(futures):
        raise BridgeError("USAGE", f"{pairs} mixes spot and futures pairs", hint="download spot and futures pairs separately")

    protocol.stage("probe", "start")
    host = require_reachable(exchange)
    protocol.stage("probe", "done", f"{host} reachable")

    trading_mode = "futures" if futures and futures[0] else "spot"
    protocol.stage("download", "start")
    _download(user_data_dir, exchange, pairs, timeframes, timerange, days, trading_mode)
    protocol.stage("download", "done")
    return {"exchange": exchange, "files": _downloaded(user_data_dir, exchange, pairs, timeframes, trading_mode)}


def _download(user_data_dir, exchange, pairs, timeframes, timerange, days, trading_mode) -> None:
    import ccxt
    from freqtrade.commands.data_commands import start_download_data
    from freqtrade.exceptions import OperationalException

    exchange_dir(user_data_dir, exchange).mkdir(parents=True, exist_ok=True)
    # The same arguments `freqtrade download-data` parses from its command line.
    args = {
        "config": [],
        "exchange": exchange,
        "user_data_dir": user_data_dir,
        "pairs": pairs,
        "timeframes": timeframes,
        "trading_mode": trading_mode,
        "dataformat_ohlcv": STORE_FORMAT,
        **({"timerange": timerange} if timerange else {}),
        **({"days": days} if days else {}),
    }
    try:
        start_download_data(args)
    except (ccxt.NetworkError, OSError) as exc:
        raise BridgeError("NETWORK", f"download from {exchange} failed: {exc}", hint="retry; the download resumes where it stopped") from exc
    except OperationalException as exc:
        raise BridgeError("USAGE", f"Freqtrade refused the download: {exc}", details={"pairs": pairs, "timeframes": timeframes}) from exc


def _downloaded(user_data_dir, exchange, pairs, timeframes, trading_mode) -> list[dict]:
    candle_type = "futures" if trading_mode == "futures" else "spot"
    files = []
    for pair in pairs:
        for timeframe in timeframes:
            file = candle_file(user_data_dir, exchange, pair, timeframe, candle_type)
            if not file.is_file():
                protocol.log("warning", f"no candles downloaded for {pair} {timeframe} (not listed on {exchange}?)")
                continue
            candles = load(file, pair, timeframe, candle_type, STORE_FORMAT)
            files.append({"file": str(file), "pair": pair, "timeframe": timeframe, **summarize(candles, timeframe)})
    return files
