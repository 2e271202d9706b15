import path from 'node:path'

import type {AdapterPort} from '../ports/engine.js'
import type {TradaiConfig} from '../config/schema.js'
import {UsageError} from '../errors.js'

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
  /** spot, futures, mark or funding_rate (what the symbol holds for its pair). */
  candleType?: CandleType | null
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

/**
 * A symbol's name: the template with `{pair}` in Freqtrade's file-name form (`ETH_BTC`,
 * `ETH_USDT_USDT`), `{base}`, `{quote}`, `{settle}`, `{timeframe}` and `{candle_type}`. A template
 * without `{candle_type}` gets `-<candle type>` appended for every non-spot type, so the default
 * `{pair}-{timeframe}` names each symbol exactly like Freqtrade's file stem: `ETH_BTC-5m`,
 * `ETH_USDT_USDT-1h-futures`, `ETH_USDT_USDT-1h-mark`, `ETH_USDT_USDT-1h-funding_rate`
 * (the adapter's `list` parses names back with the same rule: python/tradai_arctic/store.py).
 */
export function symbolName(template: string, pair: string, timeframe: string, candleType: CandleType = 'spot'): string {
  const [spot = '', settle = ''] = pair.split(':')
  const [base = '', quote = ''] = spot.split('/')
  const named = template
    .replaceAll('{pair}', pairFileStem(pair))
    .replaceAll('{base}', base)
    .replaceAll('{quote}', quote)
    .replaceAll('{settle}', settle)
    .replaceAll('{timeframe}', timeframe)
  if (template.includes('{candle_type}')) return named.replaceAll('{candle_type}', candleType)
  return candleType === 'spot' ? named : `${named}-${candleType}`
}

/** Freqtrade's candle types tradai moves (freqtrade.enums.CandleType): spot, a futures pair's own, its mark price and its funding rate. */
export type CandleType = 'spot' | 'futures' | 'mark' | 'funding_rate'

/** A futures pair's pair, timeframe and candle type tradai reads or writes: its own candles plus what Freqtrade's futures backtest loads beside them. */
export interface CandleSeries {
  pair: string
  timeframe: string
  candleType: CandleType
}

/**
 * What Freqtrade 2026.9's futures backtest loads beside a pair's candles (Backtesting.load_bt_data:
 * the exchange's `mark_ohlcv_price` candles at `mark_ohlcv_timeframe`, and `funding_rate` at
 * `funding_fee_timeframe`): 1h mark and 1h funding rate on every exchange (Exchange._ft_has_default),
 * Hyperliquid's mark price being its futures candles. python/tests/test_futures_candles.py
 * checks these against Freqtrade's own exchange classes, so a Freqtrade upgrade that changes them fails there.
 */
const FUTURES_EXTRAS: Record<string, {mark: CandleType; markTimeframe: string; fundingTimeframe: string}> = {
  default: {mark: 'mark', markTimeframe: '1h', fundingTimeframe: '1h'},
  hyperliquid: {mark: 'futures', markTimeframe: '1h', fundingTimeframe: '1h'},
}

/** The series a run of these pairs needs: spot pairs their candles; a futures pair (`BASE/QUOTE:SETTLE`) also its mark and funding-rate candles. */
export function candleSeries(exchange: string, pairs: string[], timeframe: string): CandleSeries[] {
  const extras = FUTURES_EXTRAS[exchange] ?? FUTURES_EXTRAS.default!
  const series: CandleSeries[] = []
  const seen = new Set<string>()
  const add = (entry: CandleSeries) => {
    const key = `${entry.pair} ${entry.timeframe} ${entry.candleType}`
    if (!seen.has(key)) series.push(entry)
    seen.add(key)
  }
  for (const pair of pairs) {
    if (tradingModeOf([pair]) === 'spot') {
      add({pair, timeframe, candleType: 'spot'})
      continue
    }
    add({pair, timeframe, candleType: 'futures'})
    add({pair, timeframe: extras.markTimeframe, candleType: extras.mark})
    add({pair, timeframe: extras.fundingTimeframe, candleType: 'funding_rate'})
  }
  return series
}

/** A pair as Freqtrade writes it in file names (misc.pair_to_filename): `ETH/USDT:USDT` → `ETH_USDT_USDT`. */
function pairFileStem(pair: string): string {
  return pair.replace(/[/ .@$+:]/g, '_')
}

/**
 * What reading these pairs asks of the adapter: the library of their trading mode and each series
 * (a futures pair's mark and funding rate too) with its symbol and the feather file Freqtrade reads
 * under `userDataDir`. Spot and futures pairs together are refused; `fix` says what to do instead.
 */
export function seriesToRead(
  symbolTemplate: string,
  userDataDir: string,
  exchange: string,
  pairs: string[],
  timeframe: string,
  fix: string,
): {library: string; items: Array<CandleSeries & {symbol: string; file: string}>} {
  const tradingMode = tradingModeOf(pairs)
  if (tradingMode === 'spot' && pairs.some((pair) => pair.includes(':'))) throw new UsageError(`${pairs.join(', ')} mixes spot and futures pairs; ${fix}.`)
  const items = candleSeries(exchange, pairs, timeframe).map((series) => ({
    ...series,
    symbol: symbolName(symbolTemplate, series.pair, series.timeframe, series.candleType),
    file: featherFile(userDataDir, exchange, series.pair, series.timeframe, series.candleType),
  }))
  return {library: libraryName(exchange, tradingMode), items}
}

/** Futures when the pairs are `BASE/QUOTE:SETTLE` (the engine refuses a futures pair in a spot run and the reverse), else spot. */
export function tradingModeOf(pairs: string[]): 'spot' | 'futures' {
  return pairs.length > 0 && pairs.every((pair) => pair.includes(':')) ? 'futures' : 'spot'
}

/** The library of a candle type: spot candles in `<exchange>.spot`, every futures type in `<exchange>.futures`. */
export function libraryOf(exchange: string, candleType: CandleType): string {
  return libraryName(exchange, candleType === 'spot' ? 'spot' : 'futures')
}

/**
 * Freqtrade's candle file for a pair (IDataHandler._pair_data_filename, feather): spot under
 * `data/<exchange>/`, every other candle type under `data/<exchange>/futures/` with the type as suffix.
 */
export function featherFile(userDataDir: string, exchange: string, pair: string, timeframe: string, candleType: CandleType = 'spot'): string {
  const name = `${pairFileStem(pair)}-${timeframe.replace('M', 'Mo')}`
  if (candleType !== 'spot') return path.join(userDataDir, 'data', exchange, 'futures', `${name}-${candleType}.feather`)
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
