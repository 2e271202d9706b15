import * as z from 'zod'

import {result as hyperoptResult, searchRequest} from './hyperopt-common.js'

/**
 * `hyperopt-freqtrade`: Freqtrade's own Hyperopt. Core sends the same request as for Optuna; the
 * Optuna-only fields (storage, journal, sampler, objectives) are accepted (the engine ignores them).
 */
export const request = z.strictObject({
  ...searchRequest,
  storage: z.string().nullish(),
  journalFile: z.string().nullish(),
  sampler: z.string().nullish(),
  objectives: z.array(z.string()).nullish(),
})

export const result = hyperoptResult
