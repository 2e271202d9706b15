"""data-sample: a small, deterministic, clearly SYNTHETIC candle set so a fresh clone (which
ships no market data) can run a backtest at once.

Prices follow a seeded regime-switching random walk: a Markov chain moves between uptrend,
downtrend, sideways (mean-reverting) and turbulent regimes, each with its own drift and volatility;
returns have fat tails (Student-t); volume grows with the size of the move. The same seed, pairs,
timeframe and days always give the same files, starting at the same fixed date.
"""

from __future__ import annotations

import zlib
from datetime import UTC, datetime

import numpy as np
import pandas as pd

from .. import protocol
from ..candles import candle_file, exchange_dir, store
from ..pairs import parse_pair, timeframe_seconds
from ..protocol import BridgeError
from ..requests import optional, require

START = datetime(2024, 1, 1, tzinfo=UTC)
MARKER = "SYNTHETIC-DATA.md"
# name: (drift per day, volatility per day, mean reversion per candle, volume multiplier)
REGIMES = {
    "uptrend": (0.02, 0.03, 0.0, 1.2),
    "downtrend": (-0.02, 0.035, 0.0, 1.3),
    "sideways": (0.0, 0.02, 0.02, 0.8),
    "turbulent": (0.0, 0.07, 0.0, 2.0),
}
# Chance per day of leaving the current regime; the next one is drawn uniformly from the others.
SWITCHES_PER_DAY = 1.0


def run(request: dict) -> dict:
    user_data_dir = require(request, "userDataDir", str)
    exchange = require(request, "exchange", str)
    pairs = require(request, "pairs", list)
    timeframe = optional(request, "timeframe", str, "5m")
    days = optional(request, "days", int, 30)
    seed = optional(request, "seed", int, 42)
    try:
        step = timeframe_seconds(timeframe)
        for pair in pairs:
            parse_pair(pair)
    except (ValueError, TypeError) as exc:
        raise BridgeError("USAGE", str(exc), hint="pairs look like ETH/BTC, timeframes like 5m") from exc
    if not pairs or days <= 0:
        raise BridgeError("USAGE", f"need at least one pair and a positive number of days (got pairs={pairs}, days={days})")
    _refuse_real_data(user_data_dir, exchange, pairs, timeframe)

    count = days * 86400 // step
    files = []
    for index, pair in enumerate(pairs, start=1):
        protocol.progress("data-sample", index, len(pairs), pair)
        candles = synthesize(pair, count, step, seed)
        files.append(str(store(user_data_dir, exchange, pair, timeframe, candles)))
    marker = exchange_dir(user_data_dir, exchange) / MARKER
    marker.write_text(_marker_text(pairs, timeframe, days, seed, count), encoding="utf-8")
    return {"files": files, "marker": str(marker), "synthetic": True, "seed": seed, "count": count}


def synthesize(pair: str, count: int, step_seconds: int, seed: int) -> pd.DataFrame:
    # One generator per pair, seeded from the seed and the pair name, so adding a pair does not
    # change the others (crc32, unlike hash(), is the same in every process).
    rng = np.random.default_rng([seed, zlib.crc32(pair.encode())])
    candles_per_day = 86400 / step_seconds
    names = list(REGIMES)
    regime = np.empty(count, dtype=int)
    current = rng.integers(len(names))
    switches = rng.random(count) < SWITCHES_PER_DAY / candles_per_day
    for i in range(count):
        if switches[i]:
            current = rng.choice([r for r in range(len(names)) if r != current])
        regime[i] = current
    drift, vol, reversion, volume_factor = (np.array([REGIMES[n][k] for n in names])[regime] for k in range(4))
    drift, vol = drift / candles_per_day, vol / np.sqrt(candles_per_day)

    shocks = rng.standard_t(df=4, size=count) / np.sqrt(2.0)  # t(4) scaled to unit variance
    log_price = np.empty(count)
    anchor = level = np.log(_start_price(pair, rng))
    for i in range(count):
        if i and regime[i] != regime[i - 1]:
            anchor = level  # a sideways regime reverts to where it began
        level += drift[i] + vol[i] * shocks[i] - reversion[i] * (level - anchor)
        log_price[i] = level

    close = np.exp(log_price)
    open_ = np.concatenate(([close[0] * np.exp(-vol[0] * shocks[0])], close[:-1]))
    wick = vol * np.abs(rng.normal(0.0, 0.6, size=(2, count)))
    high = np.maximum(open_, close) * np.exp(wick[0])
    low = np.minimum(open_, close) * np.exp(-wick[1])
    move = np.abs(np.log(close / open_)) / vol
    volume = rng.lognormal(mean=6.0, sigma=0.5, size=count) * volume_factor * (0.5 + move)
    dates = pd.date_range(START, periods=count, freq=pd.Timedelta(seconds=step_seconds), tz="UTC")
    return pd.DataFrame({"date": dates, "open": open_, "high": high, "low": low, "close": close, "volume": volume.round(2)})


def _start_price(pair: str, rng: np.random.Generator) -> float:
    _base, quote, _settle = parse_pair(pair)
    # Rough magnitudes so prices look plausible against their quote currency.
    low, high = (-4.0, -1.0) if quote in ("BTC", "ETH") else (-1.0, 4.0)
    return float(10 ** rng.uniform(low, high))


def _refuse_real_data(user_data_dir: str, exchange: str, pairs: list[str], timeframe: str) -> None:
    folder = exchange_dir(user_data_dir, exchange)
    if folder.is_symlink():
        raise BridgeError(
            "USAGE",
            f"{folder} links to {folder.resolve()}; sample candles would be written into that folder",
            hint="use another --user-data-dir for the synthetic sample",
        )
    if (folder / MARKER).is_file():
        return  # replacing an earlier synthetic sample is fine
    real = [str(f) for p in pairs if (f := candle_file(user_data_dir, exchange, p, timeframe)).is_file()]
    if real:
        raise BridgeError(
            "USAGE",
            f"{', '.join(real)}: candles already there are not a tradai sample; refusing to overwrite them",
            hint="use another --user-data-dir for the synthetic sample",
            details={"files": real},
        )


def _marker_text(pairs: list[str], timeframe: str, days: int, seed: int, count: int) -> str:
    return f"""# SYNTHETIC candle data: not real market prices

The candle files in this folder were generated by `tradai` (bridge operation `data-sample`) so a
fresh clone can run a backtest without downloading market data. They are random numbers shaped
like candles: do not read anything about real markets or real strategy performance from them.

- pairs: {", ".join(pairs)}
- timeframe: {timeframe}, {count} candles per pair ({days} days from {START:%Y-%m-%d} UTC)
- seed: {seed} (same seed, pairs, timeframe and days give identical files)
- model: seeded regime-switching random walk. A Markov chain moves between uptrend, downtrend,
  sideways (mean-reverting) and turbulent regimes (about {SWITCHES_PER_DAY:g} switch per day), each with its
  own drift and volatility; log returns have Student-t(4) tails; high/low wicks are random
  extensions beyond open/close; volume is log-normal and grows with the size of the move.

Replace them with real candles with `tradai data download` (online) or `tradai data import PATH`.
"""
