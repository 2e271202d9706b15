import * as z from 'zod'

import {absPath} from './common.js'

/** `data-sample`: synthetic candles for demos (marked as such beside the files). */
export const request = z.strictObject({
  userDataDir: absPath,
  exchange: z.string(),
  pairs: z.array(z.string()).min(1),
  timeframe: z.string(),
  days: z.number(),
  seed: z.number(),
})

export const result = z.looseObject({files: z.array(z.string()), marker: z.string(), count: z.number()})
