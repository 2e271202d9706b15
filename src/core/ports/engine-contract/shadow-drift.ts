import * as z from 'zod'

import * as backtest from './backtest.js'
import * as shadowRead from './shadow-read.js'

/**
 * `shadow-drift`: `shadow-read` and `backtest` in one engine process, for `shadow report`
 * (docs/bridge-protocol.md#shadow-drift): one engine start instead of two.
 */
export const request = z.strictObject({
  read: shadowRead.request,
  backtest: backtest.request,
})

export const result = z.looseObject({
  read: shadowRead.result,
  backtest: backtest.result,
})
