import * as z from 'zod'

import * as backtest from './backtest.js'
import {absPath, paramValue} from './common.js'

/**
 * `backtest-batch`: many backtests in warm engine processes (docs/bridge-protocol.md#backtest-batch).
 * Each point is a `backtest` request: `base` plus the point's runDir, params and (optionally) timerange.
 */
export const request = z.strictObject({
  base: backtest.request.omit({runDir: true, params: true}),
  points: z.array(z.strictObject({runDir: absPath, params: z.record(z.string(), paramValue), timerange: z.string().nullish()})).min(1),
  jobs: z.number().int().min(1),
})

export const result = z.looseObject({points: z.array(backtest.result)})
