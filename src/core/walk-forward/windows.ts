import {UsageError} from '../errors.js'

const DAY = 86_400_000

export interface WindowPlan {
  index: number
  train: {timerange: string; start: string; end: string; days: number}
  test: {timerange: string; start: string; end: string; days: number}
}

export interface WindowOptions {
  trainDays: number
  testDays: number
  /** Windows wanted; undefined = as many as fit. */
  windows?: number
  /** Anchored: every train segment starts at the first day; rolling: it moves with the test. */
  anchored: boolean
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10).replaceAll('-', '')
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10)
const timerange = (from: number, to: number) => `${day(from)}-${day(to)}`

/** First whole day and the day after the last whole day, in UTC ms: windows never start mid-day. */
export function spanDays(first: string, last: string): {start: number; end: number} {
  const firstMs = Date.parse(first)
  const lastMs = Date.parse(last)
  const start = Math.ceil(firstMs / DAY) * DAY
  const end = Math.floor(lastMs / DAY) * DAY
  return {start, end}
}

/**
 * Train/test windows over [start, end): test segments follow their train segment and each other,
 * never overlapping; the k-th train segment ends where the k-th test segment starts.
 */
export function planWindows(span: {start: number; end: number}, options: WindowOptions): WindowPlan[] {
  for (const [flag, value] of [
    ['--train-days', options.trainDays],
    ['--test-days', options.testDays],
  ] as const) {
    if (!Number.isInteger(value) || value < 1) throw new UsageError(`${flag} must be a whole number of days of at least 1, not ${value}.`)
  }

  if (options.windows !== undefined && (!Number.isInteger(options.windows) || options.windows < 1)) {
    throw new UsageError(`--windows must be a whole number of at least 1, not ${options.windows}.`)
  }

  const totalDays = Math.max(0, Math.round((span.end - span.start) / DAY))
  const fit = Math.floor((totalDays - options.trainDays) / options.testDays)
  const what = `The candles cover ${totalDays} whole day(s) (${iso(span.start)} to ${iso(span.end)})`
  if (fit < 1) {
    throw new UsageError(`${what}: one window needs ${options.trainDays} train + ${options.testDays} test days.`, {
      suggestions: [`Use --train-days + --test-days of at most ${totalDays}, or give more candles (--timerange, \`tradai data download\`).`],
    })
  }

  if (options.windows !== undefined && options.windows > fit) {
    throw new UsageError(`${what}: ${options.windows} windows of ${options.trainDays} train + ${options.testDays} test days do not fit; at most ${fit} do.`, {
      suggestions: [`Pass --windows ${fit} or less, or shorten --train-days / --test-days.`],
    })
  }

  const count = options.windows ?? fit
  return Array.from({length: count}, (_, index) => {
    const testStart = span.start + (options.trainDays + index * options.testDays) * DAY
    const testEnd = testStart + options.testDays * DAY
    const trainStart = options.anchored ? span.start : testStart - options.trainDays * DAY
    return {
      index,
      train: {timerange: timerange(trainStart, testStart), start: iso(trainStart), end: iso(testStart), days: Math.round((testStart - trainStart) / DAY)},
      test: {timerange: timerange(testStart, testEnd), start: iso(testStart), end: iso(testEnd), days: options.testDays},
    }
  })
}
