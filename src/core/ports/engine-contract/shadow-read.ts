import * as z from 'zod'

import {absPath} from './common.js'

/** `shadow-read`: a session's trades, orders and Freqtrade stats from its trade db (docs/bridge-protocol.md#shadow-read). */
export const request = z.strictObject({
  sessionDir: absPath,
  windowStart: z.string().nullish(),
  windowEnd: z.string().nullish(),
})

export const result = z.looseObject({
  file: z.string(),
  counts: z.looseObject({trades: z.number(), closedTrades: z.number(), openTrades: z.number()}),
})
