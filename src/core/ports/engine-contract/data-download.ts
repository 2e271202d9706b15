import * as z from 'zod'

import {absPath} from './common.js'

/** `data-download`: candles from the exchange (probes reachability first; fails fast offline). */
export const request = z.strictObject({
  userDataDir: absPath,
  exchange: z.string(),
  pairs: z.array(z.string()).min(1),
  timeframes: z.array(z.string()).min(1),
  timerange: z.string().nullish(),
  days: z.number().nullish(),
})

export const downloaded = z.looseObject({
  file: z.string(),
  pair: z.string(),
  timeframe: z.string(),
  first: z.string().nullable(),
  last: z.string().nullable(),
  count: z.number(),
  gaps: z.number(),
  largestGap: z.number().nullable(),
})

export const result = z.looseObject({files: z.array(downloaded)})
