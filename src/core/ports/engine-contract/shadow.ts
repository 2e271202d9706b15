import * as z from 'zod'

import {absPath, dataFields} from './common.js'

/** `shadow`: Freqtrade's dry-run bot on a replay or live data (docs/bridge-protocol.md#shadow). */
export const request = z.strictObject({
  sessionDir: absPath,
  strategy: z.string().min(1),
  strategyPath: absPath,
  userDataDir: absPath,
  ...dataFields,
  mode: z.enum(['replay', 'live']),
  demo: z.boolean().nullish(),
  apiPort: z.number().int().min(1).max(65_535),
  speed: z.number().positive().nullish(),
  spreadBps: z.number().min(0).nullish(),
  throttleSecs: z.number().int().positive().nullish(),
})

export const result = z.looseObject({
  sessionDir: z.string(),
  status: z.string(),
  mode: z.string(),
  window: z.looseObject({start: z.string().nullable(), end: z.string().nullable()}),
  virtualEnd: z.string().nullable(),
  wallSeconds: z.number().nullable(),
})
