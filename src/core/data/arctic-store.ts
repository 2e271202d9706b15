import path from 'node:path'

import type {AdapterPort} from '../ports/engine.js'
import type {TradaiConfig} from '../config/schema.js'

/**
 * An ArcticDB candle store as core sees it: its URI, the team's symbol naming, and the adapter
 * that runs in its own Python environment (.tradai/arctic). Layout: library `<exchange>.<mode>`,
 * symbol from the template (`{pair}-{timeframe}` → `ETH_BTC-5m`), a frame indexed by UTC candle
 * time with float64 open, high, low, close, volume.
 */
export interface ArcticStore {
  uri: string
  symbolTemplate: string
  adapter: AdapterPort
}

export interface SymbolRead {
  symbol: string
  version: number
  rows: number
  first: string | null
  last: string | null
  file: string
  pair: string | null
  timeframe: string | null
}

/** What a run read from the store: enough to read exactly the same versions again. */
export interface CandleSourceRecord {
  source: 'arcticdb'
  uri: string
  library: string
  symbols: Array<Omit<SymbolRead, 'file'>>
}

export function arcticUri(config: TradaiConfig): string {
  return config.data.arcticUri ?? `lmdb://${path.join(config.userDataDir, 'data', 'arctic')}`
}

/** The URI for messages and records: ArcticDB's s3 options carry access keys; never shown. */
export function shownUri(uri: string): string {
  return uri.replace(/((?:access|secret|token|password)=)[^&;]*/gi, '$1***').replace(/\/\/[^/@]*@/, '//***@')
}

export function libraryName(exchange: string, tradingMode: string): string {
  return `${exchange}.${tradingMode}`
}

export function symbolName(template: string, pair: string, timeframe: string): string {
  const spot = pair.split(':')[0]!
  const [base = '', quote = ''] = spot.split('/')
  return template.replaceAll('{pair}', spot.replace('/', '_')).replaceAll('{base}', base).replaceAll('{quote}', quote).replaceAll('{timeframe}', timeframe)
}

/**
 * Freqtrade's candle file for a pair (IDataHandler._pair_data_filename, feather): spot under
 * `data/<exchange>/`, futures under `data/<exchange>/futures/` with the candle type as suffix.
 */
export function featherFile(userDataDir: string, exchange: string, pair: string, timeframe: string, tradingMode = 'spot'): string {
  const name = `${pair.replace(/[/:]/g, '_')}-${timeframe.replace('M', 'Mo')}`
  if (tradingMode === 'futures') return path.join(userDataDir, 'data', exchange, 'futures', `${name}-futures.feather`)
  return path.join(userDataDir, 'data', exchange, `${name}.feather`)
}

/** The MLflow tags naming what a run read from ArcticDB (none for files): which store, library and symbol versions. */
export function candleSourceTags(record: CandleSourceRecord | undefined): Record<string, string> {
  if (!record) return {}
  return {
    'tradai.candle_source': record.source,
    'tradai.arctic.uri': record.uri,
    'tradai.arctic.library': record.library,
    'tradai.arctic.symbols': record.symbols.map((symbol) => `${symbol.symbol}@v${symbol.version}`).join(','),
  }
}
