import * as z from 'zod'

import {absPath, baseClass, strategyMetadata} from './common.js'

/** `strategy-list`: every strategy under `strategyPath`, read from the source (or imported with `load`), with its load error. */
export const request = z.strictObject({strategyPath: absPath, load: z.boolean().optional()})

export const entry = z.looseObject({
  name: z.string(),
  className: z.string().nullable(),
  file: z.string(),
  line: z.number().nullable(),
  baseClass: baseClass.nullable(),
  metadata: strategyMetadata.nullable(),
  status: z.enum(['ok', 'error']),
  error: z.looseObject({message: z.string(), file: z.string(), line: z.number().nullable(), fix: z.string().optional()}).nullable(),
  timeframe: z.string().nullable(),
  /** startup_candle_count as the source says it (or the import); null when only an import would know. */
  startupCandleCount: z.number().int().min(0).nullable().optional(),
  parameters: z.array(
    z.looseObject({
      name: z.string(),
      space: z.string().nullable(),
      type: z.enum(['int', 'decimal', 'real', 'categorical', 'boolean']),
      low: z.number().nullable().optional(),
      high: z.number().nullable().optional(),
      default: z.unknown(),
    }),
  ),
  source: z.enum(['static', 'import']),
})

export const result = z.looseObject({strategies: z.array(entry)})
