import {existsSync} from 'node:fs'
import {mkdir, symlink, writeFile} from 'node:fs/promises'
import path from 'node:path'

import type {EnginePort} from '../ports/engine.js'
import type {BacktestRequest} from '../backtest/request.js'
import {UsageError} from '../errors.js'
import {inStage, type CoreContext} from '../events.js'
import {featherFile, libraryName, shownUri, symbolName, type ArcticStore, type CandleSourceRecord, type SymbolRead} from './arctic-store.js'

interface StrategyDefaults {
  timeframe: string | null
  startupCandleCount: number
  metadata: {exchange?: string; tradingMode?: string; timeframe?: string; defaultPairs?: string[]} | null
}

const UNIT_SECONDS: Record<string, number> = {s: 1, m: 60, h: 3600, d: 86_400, w: 604_800, M: 2_592_000}

/**
 * Reads the candles a backtest needs (its timerange plus the strategy's startup candles) from
 * ArcticDB into a user_data folder inside the run (`<runDir>/candles/`), so Freqtrade starts on
 * plain feather files and the run folder holds exactly the candles it used. The record names
 * each symbol's ArcticDB version.
 */
export async function cacheCandlesFromArctic(
  request: BacktestRequest,
  store: ArcticStore,
  runDir: string,
  engine: EnginePort,
  ctx: CoreContext,
): Promise<{userDataDir: string; record: CandleSourceRecord}> {
  return inStage(ctx, 'arctic', async () => {
    const shown = (await engine.run('strategy-show', {strategyPath: request.strategiesDir, name: request.strategy}, ctx)) as unknown as StrategyDefaults
    const exchange = request.exchange ?? shown.metadata?.exchange ?? 'binance'
    const tradingMode = shown.metadata?.tradingMode ?? 'spot'
    const timeframe = request.timeframe ?? shown.metadata?.timeframe ?? shown.timeframe ?? '5m'
    const pairs = request.pairs ?? shown.metadata?.defaultPairs ?? []
    if (pairs.length === 0) throw new UsageError('Name the pairs to read from ArcticDB (--pairs), or give the strategy default pairs in its metadata.')
    if (tradingMode !== 'spot') throw new UsageError(`Reading ${tradingMode} candles from ArcticDB is not supported yet; use data.source files.`)

    const userDataDir = path.join(runDir, 'candles')
    const range = readRange(request.timerange, timeframe, shown.startupCandleCount)
    const items = pairs.map((pair) => ({
      pair,
      timeframe,
      symbol: symbolName(store.symbolTemplate, pair, timeframe),
      file: featherFile(userDataDir, exchange, pair, timeframe),
      ...range,
    }))
    const library = libraryName(exchange, tradingMode)
    const read = await store.adapter.exec<{read: SymbolRead[]}>('read', {uri: store.uri, library, items}, ctx)

    // Offline markets saved by `tradai data markets` stay the user's: linked, not copied.
    await mkdir(userDataDir, {recursive: true})
    const markets = path.join(request.userDataDir, 'markets')
    if (existsSync(markets)) await symlink(markets, path.join(userDataDir, 'markets'))
    const record: CandleSourceRecord = {source: 'arcticdb', uri: shownUri(store.uri), library, symbols: read.read.map(({file: _file, ...symbol}) => symbol)}
    await writeFile(path.join(runDir, 'candle-source.json'), `${JSON.stringify(record, null, 2)}\n`)
    return {userDataDir, record}
  })
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
