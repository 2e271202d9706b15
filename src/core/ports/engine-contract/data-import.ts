import * as z from 'zod'

import {absPath} from './common.js'

/** `data-import`: check candle files and write them into Freqtrade's layout. */
export const request = z.strictObject({
  paths: z.array(absPath).min(1),
  userDataDir: absPath,
  exchange: z.string(),
  pair: z.string().nullish(),
  timeframe: z.string().nullish(),
})

export const imported = z.looseObject({
  source: z.string(),
  file: z.string(),
  pair: z.string(),
  timeframe: z.string(),
  /** Freqtrade's candle type, from the file name: spot, futures (a BASE/QUOTE:SETTLE pair), mark, funding_rate. */
  candleType: z.enum(['spot', 'futures', 'mark', 'funding_rate']).optional(),
  count: z.number(),
  first: z.string(),
  last: z.string(),
})

export const result = z.looseObject({imported: z.array(imported)})
