import * as z from 'zod'

import {absPath, baseClass, strategyMetadata} from './common.js'

/** `strategy-show`: one strategy's settings and hyperoptable parameters. */
export const request = z.strictObject({strategyPath: absPath, name: z.string().min(1)})

export const parameter = z.looseObject({
  name: z.string(),
  space: z.string(),
  type: z.string(),
  low: z.number().optional(),
  high: z.number().optional(),
  decimals: z.number().optional(),
  options: z.array(z.unknown()).optional(),
  default: z.unknown(),
  value: z.unknown(),
  optimize: z.boolean(),
  load: z.boolean(),
})

export const result = z.looseObject({
  name: z.string(),
  className: z.string(),
  file: z.string(),
  baseClass,
  metadata: strategyMetadata.nullable(),
  timeframe: z.string().nullable(),
  minimalRoi: z.record(z.string(), z.number()),
  stoploss: z.number(),
  trailing: z.looseObject({
    trailingStop: z.boolean(),
    trailingStopPositive: z.number().nullable(),
    trailingStopPositiveOffset: z.number(),
    trailingOnlyOffsetIsReached: z.boolean(),
  }),
  startupCandleCount: z.number(),
  canShort: z.boolean(),
  interfaceVersion: z.number(),
  parameters: z.array(parameter),
  paramsFile: z.string().nullable(),
  configFile: z.string().nullable(),
})
