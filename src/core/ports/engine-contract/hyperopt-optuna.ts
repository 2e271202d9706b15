import * as z from 'zod'

import {absPath} from './common.js'
import {result as hyperoptResult, searchRequest} from './hyperopt-common.js'

/**
 * `hyperopt-optuna`: tradai's Optuna search. A new search carries the whole problem; a worker
 * (`join: true`) only the study, where it is stored and its own share of the work: the problem is
 * read from the study.
 */
const storage = {storage: z.string().nullish(), journalFile: absPath.nullish(), sampler: z.string().nullish()}

export const request = z.union([
  z.strictObject({...searchRequest, ...storage, objectives: z.array(z.string()).nullish(), join: z.literal(false).optional()}),
  z.strictObject({
    runId: z.string().min(1),
    runDir: absPath,
    join: z.literal(true),
    study: z.string().min(1),
    ...storage,
    strategyPath: absPath,
    userDataDir: absPath,
    epochs: z.number().int().positive(),
    jobs: z.number().int().positive(),
    seed: z.number().int().nullish(),
  }),
])

export const result = hyperoptResult
