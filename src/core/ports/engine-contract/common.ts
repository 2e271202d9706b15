import * as z from 'zod'

/**
 * Pieces several engine operations share. Requests are closed (`z.strictObject`: a field the other side
 * does not know is drift); results are open (`z.looseObject`: the engine may add fields) but every
 * field tradai reads is declared. `nullish` = "null or absent means: take the strategy's / default".
 */

export const absPath = z.string().min(1)
export const marketsSource = z.enum(['snapshot', 'synthesized'])
export const stakeAmount = z.union([z.literal('unlimited'), z.number()])
export const paramValue = z.union([z.string(), z.number(), z.boolean()])

/** The candles and account a run uses (backtest, hyperopt, challenge): core's bridgeDataFields. */
export const dataFields = {
  exchange: z.string().nullish(),
  pairs: z.array(z.string()).nullish(),
  timeframe: z.string().nullish(),
  timerange: z.string().nullish(),
  stakeCurrency: z.string().nullish(),
  stakeAmount: stakeAmount.nullish(),
  startingBalance: z.number().nullish(),
  maxOpenTrades: z.number().nullish(),
  fee: z.number().nullish(),
  ...userConfigFields(),
}

/** The user's Freqtrade config files and the data fields' sources (README "Strategy configurations"). */
export function userConfigFields() {
  return {
    freqtradeConfig: z.array(z.string().min(1)).nullish(),
    settingSources: z.record(z.string(), z.strictObject({kind: z.enum(['flag', 'env', 'file']), label: z.string()})).nullish(),
  }
}

export const cache = z.enum(['none', 'day', 'week', 'month']).optional()

export const strategyMetadata = z.looseObject({
  name: z.string(),
  version: z.string(),
  description: z.string().optional(),
  author: z.string().optional(),
  tags: z.array(z.string()).optional(),
  timeframe: z.string().optional(),
  exchange: z.string().optional(),
  tradingMode: z.string().optional(),
  defaultPairs: z.array(z.string()).optional(),
})

export const baseClass = z.enum(['TradAIStrategy', 'IStrategy'])
