import {existsSync} from 'node:fs'
import {mkdir, symlink, writeFile} from 'node:fs/promises'
import path from 'node:path'

import type {EnginePort} from '../ports/engine.js'
import {UsageError} from '../errors.js'
import {inStage, type CoreContext} from '../events.js'
import {seriesToRead, shownUri, type ArcticStore, type CandleSourceRecord, type SymbolRead} from './arctic-store.js'

interface StrategyDefaults {
  timeframe: string | null
  startupCandleCount: number
  metadata: {exchange?: string; tradingMode?: string; timeframe?: string; defaultPairs?: string[]} | null
}

/** What a run needs to know to read its candles: the strategy (for its defaults and startup candles) and the data settings. */
export interface CandleNeed {
  strategy: string
  strategiesDir: string
  userDataDir: string
  exchange?: string
  pairs?: string[]
  timeframe?: string
  /** The whole span the run reads (a walk-forward: all its windows; a hyperopt: its range and the out-of-sample one). */
  timerange?: string
  /** With `data.source: arcticdb`: read the candles from this store into the run folder first. */
  candleStore?: ArcticStore
}

/** Where a run's Freqtrade reads candles, and (from ArcticDB) what it read. */
export interface RunCandles {
  userDataDir: string
  candleSource?: CandleSourceRecord
}

export const CANDLE_SOURCE_STAGES = [
  {id: 'arctic-env', title: 'ArcticDB adapter'},
  {id: 'arctic', title: 'Read candles from ArcticDB'},
]

const UNIT_SECONDS: Record<string, number> = {s: 1, m: 60, h: 3600, d: 86_400, w: 604_800, M: 2_592_000}

/**
 * The one place every command that runs Freqtrade on candles (backtest, sweep, walk-forward,
 * hyperopt, challenge, shadow replay) decides where they come from. Files: the user's user_data,
 * as is. ArcticDB: the span the run needs plus the strategy's startup candles is read into a
 * user_data folder inside the run (`<runDir>/candles/`), so Freqtrade starts on plain feather
 * files, the run folder holds exactly the candles it used, and `candle-source.json` names each
 * symbol's ArcticDB version (enough to read the same candles again).
 */
export async function candlesForRun(need: CandleNeed, runDir: string, engine: EnginePort, ctx: CoreContext): Promise<RunCandles> {
  if (!need.candleStore) return {userDataDir: need.userDataDir}
  const store = need.candleStore
  return inStage(ctx, 'arctic', async () => {
    // The adapter starts now and imports ArcticDB while the engine reads the strategy's defaults
    // (two cold Python starts side by side, not one after the other); it gets its request after.
    let provide: (request: unknown) => void = () => {}
    let withdraw: (error: unknown) => void = () => {}
    const request = new Promise<unknown>((resolve, reject) => {
      provide = resolve
      withdraw = reject
    })
    const reading = store.adapter.exec<{read: SymbolRead[]}>('read', request, ctx)
    reading.catch(() => {}) // awaited below once the request is sent; a withdrawn one is not an unhandled rejection
    let library: string
    let userDataDir: string
    try {
      const shown = await strategyDefaults(need, engine, ctx)
      const exchange = need.exchange ?? shown.metadata?.exchange ?? 'binance'
      const timeframe = need.timeframe ?? shown.metadata?.timeframe ?? shown.timeframe ?? '5m'
      const pairs = need.pairs ?? shown.metadata?.defaultPairs ?? []
      if (pairs.length === 0) throw new UsageError('Name the pairs to read from ArcticDB (--pairs), or give the strategy default pairs in its metadata.')
      if (shown.metadata?.tradingMode === 'margin') throw new UsageError('Reading margin candles from ArcticDB is not supported; use data.source files.')
      // The pairs say the trading mode (BASE/QUOTE:SETTLE is futures), whether the strategy's
      // metadata or a --freqtrade-config / strategy configuration set `trading_mode: futures`.
      userDataDir = path.join(runDir, 'candles')
      const range = readRange(need.timerange, timeframe, shown.startupCandleCount)
      // A futures pair brings its mark and funding-rate candles (what Freqtrade's futures backtest loads beside them).
      const plan = seriesToRead(store.symbolTemplate, userDataDir, exchange, pairs, timeframe, 'one run trades one of them')
      library = plan.library
      provide({uri: store.uri, library, items: plan.items.map((item) => ({...item, ...range}))})
    } catch (error) {
      withdraw(error)
      throw error
    }

    const read = await reading
    // Offline markets saved by `tradai data markets` stay the user's: linked, not copied.
    await mkdir(userDataDir, {recursive: true})
    const markets = path.join(need.userDataDir, 'markets')
    if (existsSync(markets)) await symlink(markets, path.join(userDataDir, 'markets'))
    const candleSource: CandleSourceRecord = {source: 'arcticdb', uri: shownUri(store.uri), library, symbols: read.read.map(({file: _file, ...symbol}) => symbol)}
    await writeFile(path.join(runDir, 'candle-source.json'), `${JSON.stringify(candleSource, null, 2)}\n`)
    return {userDataDir, candleSource}
  })
}

/**
 * The strategy's defaults and startup candles from the source (strategy-list: no Freqtrade import,
 * well under a second) when it says them literally; else from Freqtrade's import (strategy-show).
 */
async function strategyDefaults(need: CandleNeed, engine: EnginePort, ctx: CoreContext): Promise<StrategyDefaults> {
  const listed = await engine.run('strategy-list', {strategyPath: need.strategiesDir}, ctx)
  const matches = listed.strategies.filter((entry) => entry.name === need.strategy || entry.className === need.strategy)
  const [entry] = matches
  if (matches.length === 1 && entry?.status === 'ok' && typeof entry.startupCandleCount === 'number') {
    return {timeframe: entry.timeframe, startupCandleCount: entry.startupCandleCount, metadata: entry.metadata}
  }
  return (await engine.run('strategy-show', {strategyPath: need.strategiesDir, name: need.strategy}, ctx)) as unknown as StrategyDefaults
}

/** The smallest YYYYMMDD-YYYYMMDD covering every range given (an open end stays open). */
export function coveringTimerange(first: string, ...more: Array<string | undefined>): string {
  const parts = [first, ...more.filter((range): range is string => range !== undefined)].map((range) => range.split('-'))
  const starts = parts.map(([from = '']) => from)
  const ends = parts.map(([, to = '']) => to)
  const from = starts.includes('') ? '' : starts.sort()[0]!
  const to = ends.includes('') ? '' : ends.sort().at(-1)!
  return `${from}-${to}`
}

/** The timerange widened by the startup candles (and one spare day each side: Freqtrade trims what it does not use). */
function readRange(timerange: string | undefined, timeframe: string, startupCandles: number): {start: string | null; end: string | null} {
  const [from = '', to = ''] = (timerange ?? '-').split('-')
  const step = Number(timeframe.slice(0, -1)) * (UNIT_SECONDS[timeframe.slice(-1)] ?? 60) * 1000
  const day = 86_400_000
  const date = (value: string) => Date.UTC(Number(value.slice(0, 4)), Number(value.slice(4, 6)) - 1, Number(value.slice(6, 8)))
  return {
    start: from ? new Date(date(from) - startupCandles * step - day).toISOString() : null,
    end: to ? new Date(date(to) + day).toISOString() : null,
  }
}
