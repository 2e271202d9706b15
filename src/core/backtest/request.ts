import {PAIR_PATTERN, TIMEFRAME_PATTERN, TIMERANGE_PATTERN} from '../config/schema.js'
import {UsageError} from '../errors.js'

export type ParamValue = string | number | boolean

/** What a backtest needs; unset values come from the strategy's metadata, then defaults. */
export interface BacktestRequest {
  strategy: string
  strategiesDir: string
  userDataDir: string
  outputDir: string
  exchange?: string
  pairs?: string[]
  timeframe?: string
  timerange?: string
  stakeCurrency?: string
  stakeAmount?: 'unlimited' | number
  startingBalance?: number
  maxOpenTrades?: number
  fee?: number
  params: Record<string, ParamValue>
}

/** Catches malformed input before any Python starts (fast, and names the exact value). */
export function validateBacktestRequest(request: BacktestRequest): void {
  for (const pair of request.pairs ?? []) {
    if (!PAIR_PATTERN.test(pair)) {
      throw new UsageError(`Malformed pair "${pair}": expected BASE/QUOTE in upper case, like ETH/BTC.`, {
        suggestions: ['Run `tradai data list` to see the pairs you have candles for.'],
      })
    }
  }

  if (request.timeframe !== undefined && !TIMEFRAME_PATTERN.test(request.timeframe)) {
    throw new UsageError(`Malformed timeframe "${request.timeframe}": expected a number and a unit, like 5m, 1h or 1d.`)
  }

  if (request.timerange !== undefined) validateTimerange(request.timerange)
}

export function validateTimerange(timerange: string): void {
  const match = TIMERANGE_PATTERN.exec(timerange)
  const hint = {suggestions: ['Use YYYYMMDD-YYYYMMDD, e.g. 20180110-20180120; either side may be left open (20180115-).']}
  if (!match || timerange === '-') throw new UsageError(`Malformed timerange "${timerange}".`, hint)
  const [start, end] = [match[1], match[2]].map((day) => (day ? parseDay(day, timerange) : undefined))
  if (start !== undefined && end !== undefined && start >= end) {
    throw new UsageError(`Timerange "${timerange}" ends before it starts.`, hint)
  }
}

function parseDay(day: string, timerange: string): number {
  const iso = `${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6, 8)}T00:00:00Z`
  const time = Date.parse(iso)
  if (Number.isNaN(time) || new Date(time).toISOString().slice(0, 10) !== iso.slice(0, 10)) {
    throw new UsageError(`Timerange "${timerange}" has an impossible date ${day}.`, {
      suggestions: ['Use real calendar dates as YYYYMMDD.'],
    })
  }

  return time
}

/** `--param name=value` → {name: value}; numbers and booleans are typed, the engine checks ranges. */
export function parseParams(entries: string[]): Record<string, ParamValue> {
  const params: Record<string, ParamValue> = {}
  for (const entry of entries) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.+)$/.exec(entry)
    if (!match) {
      throw new UsageError(`Malformed --param "${entry}": expected name=value, like buy_rsi=30.`, {
        suggestions: ['Run `tradai strategy show NAME` to see the strategy\'s parameters.'],
      })
    }

    const [, name, raw] = match as unknown as [string, string, string]
    params[name] = /^(true|false)$/i.test(raw) ? raw.toLowerCase() === 'true' : Number.isFinite(Number(raw)) ? Number(raw) : raw
  }

  return params
}
