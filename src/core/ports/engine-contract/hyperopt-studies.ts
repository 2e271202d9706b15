import * as z from 'zod'

import {absPath} from './common.js'
import {trialRow} from './hyperopt-common.js'

/** `hyperopt-studies`: list the studies of a journal folder / storage, or show one (and one trial). */
export const request = z.strictObject({
  studiesDir: absPath,
  storage: z.string().nullish(),
  /** Freqtrade's hyperopt results folder (<userDataDir>/hyperopt_results): its .fthypt files are studies too. */
  resultsDir: absPath.nullish(),
  study: z.string().nullish(),
  trial: z.number().int().nullish(),
})

const n = z.number().nullable()

export const summary = z.looseObject({
  study: z.string(),
  engine: z.string(),
  strategy: z.string().nullable(),
  spaces: z.array(z.string()).nullable(),
  loss: z.string().nullable(),
  objectives: z.array(z.string()).nullable(),
  directions: z.array(z.string()),
  trials: z.number(),
  completedTrials: z.number(),
  failedTrials: z.number(),
  runningTrials: z.number(),
  bestLoss: n,
  lastUpdate: z.string().nullable(),
  storage: z.string(),
})

export const detail = summary.extend({
  problem: z.record(z.string(), z.unknown()).nullable(),
  bestTrial: trialRow.nullable(),
  paretoFront: z.array(trialRow).nullable(),
  trialList: z.array(trialRow).optional(),
  trial: trialRow.extend({paramsDetails: z.unknown(), paramsNotOptimized: z.unknown()}).optional(),
})

/** Without `study`: the list; with it: that study's detail. */
export const result = z.union([z.looseObject({studies: z.array(summary)}), detail])
