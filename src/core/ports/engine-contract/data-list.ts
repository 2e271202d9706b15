import {z} from 'zod'

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
})

export const result = z.looseObject({dataDir: z.string(), files: z.array(file)})
