import * as z from 'zod'

import {absPath, cache, dataFields, marketsSource} from './common.js'

/** What the hyperopt operations share: the request's search settings, trial rows, the result. */

const n = z.number().nullable()
const s = z.string().nullable()

export const trialMetrics = z.looseObject({
  totalTrades: n,
  profitTotal: n,
  profitTotalAbs: n,
  maxDrawdown: n,
  sharpe: n,
  sortino: n,
  calmar: n,
  winRate: n,
  profitFactor: n,
  expectancy: n,
  holdingAvg: s,
  backtestStart: s,
  backtestEnd: s,
})

export const trialRow = z.looseObject({
  number: z.number().int(),
  state: z.string(),
  values: z.array(z.number()).nullable(),
  loss: n,
  params: z.record(z.string(), z.unknown()),
  metrics: trialMetrics.nullable(),
  run: s.optional(),
  start: s.optional(),
  complete: s.optional(),
  durationSeconds: n.optional(),
})

const withLoss = trialMetrics.extend({loss: n})

export const oosReport = z.looseObject({
  timerange: z.string(),
  inSampleTimerange: s,
  trials: z.array(
    z.looseObject({
      trial: z.number().int(),
      params: z.record(z.string(), z.unknown()),
      inSample: withLoss,
      outOfSample: withLoss,
      drop: z.record(z.string(), z.number()),
    }),
  ),
})

/** The request of a new search (hyperopt-optuna without `join`, hyperopt-freqtrade). */
export const searchRequest = {
  runId: z.string().min(1),
  runDir: absPath,
  study: z.string().min(1),
  strategy: z.string().min(1),
  strategyPath: absPath,
  userDataDir: absPath,
  ...dataFields,
  epochs: z.number().int().positive(),
  jobs: z.number().int().positive(),
  seed: z.number().int().nullish(),
  spaces: z.array(z.string()).min(1),
  loss: z.string().min(1),
  minTrades: z.number().int(),
  oosTimerange: z.string().nullish(),
  oosFraction: z.number().nullish(),
  finish: z.strictObject({export: z.boolean(), topK: z.number().int()}),
  cache,
}

export const result = z.looseObject({
  study: z.string(),
  engine: z.enum(['optuna', 'freqtrade']),
  storage: z.string(),
  strategy: z.string(),
  strategyFile: z.string(),
  spaces: z.array(z.string()),
  loss: z.string(),
  objectives: z.array(z.string()),
  sampler: z.string(),
  epochs: z.number(),
  completedTrials: z.number(),
  failedOrphans: z.array(z.number()),
  bestTrial: n,
  bestLoss: n,
  bestParams: z.record(z.string(), z.record(z.string(), z.unknown())).nullable(),
  bestMetrics: trialMetrics.nullable(),
  paretoFront: z.array(trialRow.extend({objectives: z.record(z.string(), z.number())})).nullable(),
  oos: oosReport.nullable(),
  paramsFile: s,
  trials: z.array(trialRow),
  timerange: s,
  marketsSource,
  resultsFile: z.string().optional(),
  trialsSeconds: z.number(),
  epochsPerSecond: n,
  durationSeconds: z.number(),
})
