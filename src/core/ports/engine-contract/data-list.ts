import * as z from 'zod'

import {absPath} from './common.js'

/** `data-list`: the candle files under `<userDataDir>/data/<exchange>/`. */
export const request = z.strictObject({userDataDir: absPath, exchange: z.string().nullish()})

export const file = z.looseObject({
  file: z.string(),
  exchange: z.string(),
  pair: z.string(),
  timeframe: z.string(),
  candleType: z.string(),
  format: z.string(),
  first: z.string().nullable(),
  last: z.string().nullable(),
  count: z.number(),
  gaps: z.number(),
  largestGap: z.number().nullable(),
  /** unreadable: truncated or foreign file; bad-rows: NaN, zero or negative prices. */
  status: z.enum(['ok', 'bad-rows', 'unreadable']),
  badRows: z.number(),
  problem: z.string().nullable(),
})

export const result = z.looseObject({dataDir: z.string(), files: z.array(file)})
