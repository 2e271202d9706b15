import {PAIR_PATTERN, TIMEFRAME_PATTERN, TIMERANGE_PATTERN} from './ports/engine-contract/vocabulary.js'
import {UsageError} from './errors.js'

/**
 * Pairs, timeframes and timeranges typed by a user, checked before any Python starts (fast,
 * and the message names the exact value). Backtest, data and hyperopt requests share these.
 */
export function validatePair(pair: string): void {
  if (!PAIR_PATTERN.test(pair)) {
    throw new UsageError(`Malformed pair "${pair}": expected BASE/QUOTE in upper case, like ETH/BTC.`, {
      suggestions: ['Run `tradai data list` to see the pairs you have candles for.'],
    })
  }
}

export function validateTimeframe(timeframe: string): void {
  if (!TIMEFRAME_PATTERN.test(timeframe)) {
    throw new UsageError(`Malformed timeframe "${timeframe}": expected a number and a unit, like 5m, 1h or 1d.`)
  }
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

/** A count the user gives (`--days 30`): a whole number ≥ `min`. */
export function validateWholeNumber(value: number, flag: string, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new UsageError(`${flag} must be a whole number of at least ${min}, got ${value}.`)
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
