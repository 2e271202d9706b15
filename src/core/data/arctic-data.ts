import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'

import type {EnginePort} from '../ports/engine.js'
import {UsageError} from '../errors.js'
import {inStage, type CoreContext} from '../events.js'
import {validatePair, validateTimeframe, validateTimerange} from '../market-input.js'
import {libraryOf, seriesToRead, shownUri, symbolName, type ArcticStore, type CandleType, type SymbolRead} from './arctic-store.js'
import {importData, type DataImportRequest} from './import-data.js'

export interface SymbolWritten {
  symbol: string
  version: number
  rows: number
  first: string | null
  last: string | null
  pair: string | null
  timeframe: string | null
  candleType?: CandleType | null
}

export interface ArcticImportResult {
  exchange: string
  to: 'arcticdb'
  uri: string
  library: string
  written: SymbolWritten[]
}

export const ARCTIC_IMPORT_STAGES = [
  {id: 'engine', title: 'Python engine'},
  {id: 'arctic-env', title: 'ArcticDB adapter'},
  {id: 'validate', title: 'Check the candle files'},
  {id: 'write', title: 'Convert them'},
  {id: 'arctic', title: 'Write them to ArcticDB'},
]

/**
 * `data import --to arcticdb`: the same checks as a files import (the engine's data-import,
 * into a scratch folder), then each pair/timeframe written as a new version of its symbol.
 */
export async function importToArctic(request: Omit<DataImportRequest, 'userDataDir'>, engine: EnginePort, store: ArcticStore, ctx: CoreContext): Promise<ArcticImportResult> {
  const scratch = await mkdtemp(path.join(tmpdir(), 'tradai-arctic-import-'))
  try {
    const checked = await importData({...request, userDataDir: scratch}, engine, ctx)
    // Spot files into <exchange>.spot; a futures pair's candles, mark and funding rate into <exchange>.futures.
    const libraries = [...new Set(checked.imported.map((file) => libraryOf(request.exchange, file.candleType ?? 'spot')))]
    if (libraries.length > 1) {
      throw new UsageError(`These files hold both spot and futures candles (libraries ${libraries.join(' and ')}); import each kind separately.`, {
        suggestions: [`tradai data import user_data/data/${request.exchange} --to arcticdb`, `tradai data import user_data/data/${request.exchange}/futures --to arcticdb`],
      })
    }
    const library = libraries[0]!
    const items = checked.imported.map((file) => ({
      symbol: symbolName(store.symbolTemplate, file.pair, file.timeframe, file.candleType ?? 'spot'),
      file: file.file,
      pair: file.pair,
      timeframe: file.timeframe,
      candleType: file.candleType ?? 'spot',
    }))
    const result = await inStage(ctx, 'arctic', () => store.adapter.exec<{written: SymbolWritten[]}>('write', {uri: store.uri, library, items}, ctx))
    return {exchange: request.exchange, to: 'arcticdb', uri: shownUri(store.uri), library, written: result.written}
  } finally {
    await rm(scratch, {recursive: true, force: true})
  }
}

export interface ArcticExportRequest {
  userDataDir: string
  exchange: string
  pairs: string[]
  timeframe: string
  timerange?: string
}

export interface ArcticExportResult {
  exchange: string
  from: 'arcticdb'
  uri: string
  library: string
  exported: SymbolRead[]
}

export const ARCTIC_EXPORT_STAGES = [
  {id: 'arctic-env', title: 'ArcticDB adapter'},
  {id: 'arctic', title: 'Read from ArcticDB into user_data'},
]

/** `data export --from arcticdb`: symbols into Freqtrade's feather files under user_data (replacing them). */
export async function exportFromArctic(request: ArcticExportRequest, store: ArcticStore, ctx: CoreContext): Promise<ArcticExportResult> {
  if (request.pairs.length === 0) throw new UsageError('Name the pairs to export (--pairs ETH/BTC LTC/BTC).')
  for (const pair of request.pairs) validatePair(pair)
  validateTimeframe(request.timeframe)
  if (request.timerange !== undefined) validateTimerange(request.timerange)
  const [from = '', to = ''] = (request.timerange ?? '-').split('-')
  const day = (value: string) => (value ? `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}T00:00:00Z` : null)
  // A futures pair (BASE/QUOTE:SETTLE) exports what its backtest reads: its candles, mark and funding rate.
  const plan = seriesToRead(store.symbolTemplate, request.userDataDir, request.exchange, request.pairs, request.timeframe, 'export each kind separately')
  const library = plan.library
  const items = plan.items.map((item) => ({...item, start: day(from), end: day(to)}))
  const result = await inStage(ctx, 'arctic', () => store.adapter.exec<{read: SymbolRead[]}>('read', {uri: store.uri, library, items}, ctx))
  return {exchange: request.exchange, from: 'arcticdb', uri: shownUri(store.uri), library, exported: result.read}
}

export interface ArcticListResult {
  source: 'arcticdb'
  uri: string
  libraries: Array<{
    library: string
    /** pair, timeframe and candleType: what the symbol's name says, read with data.arcticSymbolTemplate (null when it does not follow it). */
    symbols: Array<{
      symbol: string
      version: number
      rows: number
      first: string | null
      last: string | null
      gaps: number | null
      pair?: string | null
      timeframe?: string | null
      candleType?: CandleType | null
    }>
  }>
}

export const ARCTIC_LIST_STAGES = [
  {id: 'arctic-env', title: 'ArcticDB adapter'},
  {id: 'arctic', title: 'List the ArcticDB store'},
]

export async function listArctic(library: string | undefined, store: ArcticStore, ctx: CoreContext): Promise<ArcticListResult> {
  const result = await inStage(ctx, 'arctic', () =>
    store.adapter.exec<Omit<ArcticListResult, 'source'>>('list', {uri: store.uri, library: library ?? null, symbolTemplate: store.symbolTemplate}, ctx),
  )
  return {source: 'arcticdb', uri: shownUri(store.uri), libraries: result.libraries}
}
