import * as z from 'zod'

import * as backtest from './backtest.js'
import {absPath, paramValue} from './common.js'

/**
 * `sweep-study`: a sweep shared through an Optuna study (GridSampler, every point queued once), run by
 * `strategy sweep --storage/--study` and by `hyperopt worker` on a sweep's study
 * (docs/bridge-protocol.md#sweep-study). Points in the grid's cartesian order, each with its local runDir.
 */
export const request = z.strictObject({
  runId: z.string().min(1),
  runDir: absPath,
  study: z.string().min(1),
  storage: z.string().nullish(),
  journalFile: absPath.nullish(),
  /** true: a worker; the study must exist (and be this sweep). */
  join: z.boolean(),
  base: backtest.request.omit({runDir: true, params: true}),
  grid: z.array(z.strictObject({name: z.string().min(1), values: z.array(paramValue).min(1)})).min(1),
  points: z.array(z.strictObject({runDir: absPath, params: z.record(z.string(), paramValue)})).min(1),
  sortBy: z.string().min(1),
  jobs: z.number().int().min(1),
  /** The candles' source when not the user's files: the ArcticDB read (library, symbol versions), kept with the study. */
  candles: z.looseObject({source: z.string().min(1)}).nullish(),
})

/** A done point as the study holds it: Freqtrade's scalar stats, and where it ran. */
export const point = z.looseObject({
  index: z.number().int().min(0),
  params: z.record(z.string(), paramValue),
  trial: z.number().int(),
  stats: z.record(z.string(), z.unknown()),
  point: z.looseObject({
    runDir: z.string(),
    strategy: z.looseObject({name: z.string(), className: z.string()}),
    exchange: z.string(),
    timeframe: z.string(),
    timerange: z.string().nullable(),
    pairs: z.array(z.string()),
    stakeCurrency: z.string(),
    engine: z.looseObject({freqtrade: z.string()}),
  }),
  run: z.string().nullable(),
  host: z.string().nullable(),
})

export const result = z.looseObject({
  study: z.string(),
  storage: z.string(),
  points: z.array(point),
  /** The backtests this process ran (its points' full results, for their run folders). */
  ran: z.array(z.looseObject({index: z.number().int().min(0), result: backtest.result})),
  orphans: z.array(z.number().int()),
})
