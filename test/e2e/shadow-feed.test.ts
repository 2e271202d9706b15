import {describe, expect, it} from 'vitest'

import {enginePython} from '../helpers/engine-python.js'

/** The replay feed's fill model (python/tradai_engine/shadow/feed.py), on hand-made candles. */
const feed = (body: string) =>
  JSON.parse(
    enginePython(`import json
from tradai_engine.shadow.feed import ReplayFeed, Series, install, restore
T = 1_000_000_000_000 - (1_000_000_000_000 % 300_000)
rising = Series(times=[T, T + 300_000], opens=[10.0, 12.0], highs=[13.0, 12.0], lows=[9.0, 12.0], closes=[12.0, 12.0], volumes=[300.0, 0.0])
falling = Series(times=[T], opens=[10.0], highs=[11.0], lows=[7.0], closes=[8.0], volumes=[30.0])
f = ReplayFeed({"R/BTC": rising, "F/BTC": falling}, "5m", spread_bps=10)
${body}`),
  )

describe('replay feed (in the engine interpreter)', () => {
  it('walks open→low→high→close in a rising candle and open→high→low→close in a falling one', () => {
    const prices = feed(`print(json.dumps([[f.price(p, T + s * 1000) for s in (0, 100, 200, 299.999)] for p in ("R/BTC", "F/BTC")]))`) as number[][]
    expect(prices[0]!.map((price) => Number(price.toFixed(3)))).toEqual([10, 9, 13, 12])
    expect(prices[1]!.map((price) => Number(price.toFixed(3)))).toEqual([10, 11, 7, 8])
  })

  it('serves closed candles plus the forming one as of the clock, and a book half the spread around the price', () => {
    const out = feed(
      `print(json.dumps({"ohlcv": f.ohlcv("R/BTC", None, None, T + 300_000 + 150_000), "early": f.ohlcv("R/BTC", None, None, T + 150_000), "book": f.order_book("R/BTC", T), "gap": f.price("F/BTC", T + 900_000)}))`,
    ) as {
      ohlcv: number[][]
      early: number[][]
      book: {bids: number[][]; asks: number[][]}
      gap: number
    }
    expect(out.ohlcv).toHaveLength(2)
    expect(out.ohlcv[0]).toEqual([expect.any(Number), 10, 13, 9, 12, 300])
    expect(out.early).toHaveLength(1) // only the forming candle: at mid-candle the price is 11 on its way from the low 9 to the high
    expect(out.early[0]!.slice(1, 4).map((v) => Number(v.toFixed(3)))).toEqual([10, 11, 9])
    expect(out.book.bids[0]![0]).toBeCloseTo(10 * (1 - 0.0005))
    expect(out.book.asks[0]![0]).toBeCloseTo(10 * (1 + 0.0005))
    expect(out.gap).toBe(8) // a gap in the data holds the last close
  })

  it('its ccxt patches are undone afterwards', () => {
    const out = feed(`import ccxt
before = ccxt.binance.__dict__.get("fetch_ticker")
undo = install(f, "binance")
patched = ccxt.binance.__dict__.get("fetch_ticker") is not before
undo()
print(json.dumps([patched, ccxt.binance.__dict__.get("fetch_ticker") is before]))`) as boolean[]
    expect(out).toEqual([true, true])
  })
})
