import {z} from 'zod'

import {absPath, baseClass, strategyMetadata} from './common.js'

/** `strategy-list`: every strategy file under `strategyPath`, loaded or with its load error. */
export const request = z.strictObject({strategyPath: absPath})

export const entry = z.looseObject({
  name: z.string(),
  className: z.string().nullable(),
  file: z.string(),
  line: z.number().nullable(),
  baseClass: baseClass.nullable(),
  metadata: strategyMetadata.nullable(),
  status: z.enum(['ok', 'error']),
  error: z.looseObject({message: z.string(), file: z.string(), line: z.number().nullable()}).nullable(),
})

export const result = z.looseObject({strategies: z.array(entry)})
