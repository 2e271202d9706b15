import * as z from 'zod'

import {absPath, cache, dataFields, marketsSource, paramValue} from './common.js'

/** `backtest`: one Freqtrade backtest into `runDir` (docs/bridge-protocol.md#backtest). */
export const request = z.strictObject({
  runDir: absPath,
  strategy: z.string().min(1),
  strategyPath: absPath,
  userDataDir: absPath,
  ...dataFields,
  params: z.record(z.string(), paramValue),
  cache,
  // Informative pairs/timeframes without candles: warnings instead of DATA_NOT_FOUND.
  allowMissingInformative: z.boolean().optional(),
  // Bad-price candle rows: DATA_BAD_ROWS instead of a warning.
  strictData: z.boolean().optional(),
})

export const result = z.looseObject({
  runDir: z.string(),
  configFile: z.string(),
  configSourcesFile: z.string(),
  resultFile: z.string(),
  statsFile: z.string(),
  strategyFiles: z.array(z.string()),
  marketsSource,
  marketsFile: z.string().nullable(),
  strategy: z.looseObject({
    name: z.string(),
    className: z.string(),
    file: z.string(),
    baseClass: z.string(),
    metadata: z.record(z.string(), z.unknown()).nullable(),
    params: z.record(z.string(), z.record(z.string(), z.unknown())),
  }),
  exchange: z.string(),
  timeframe: z.string(),
  // null when neither the request nor the strategy chose one: every candle there is.
  timerange: z.string().nullable(),
  pairs: z.array(z.string()),
  stakeCurrency: z.string(),
  engine: z.looseObject({freqtrade: z.string()}),
  // Missing informative data (when allowed), startup-candle shortfalls, Freqtrade's WARNING+ records.
  warnings: z.array(z.string()).optional(),
})
