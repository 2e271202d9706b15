import {readFile} from 'node:fs/promises'
import * as z from 'zod'

import {EngineError} from '../errors.js'

/** A row of Freqtrade's per-pair / exit-reason tables (`_generate_result_line`). */
const resultLine = z.looseObject({
  key: z.union([z.string(), z.number()]).transform(String),
  trades: z.number(),
  profit_mean: z.number().nullable(),
  profit_total_abs: z.number(),
  profit_total: z.number(),
  wins: z.number(),
  draws: z.number(),
  losses: z.number(),
  winrate: z.number().nullable().optional(),
  profit_factor: z.number().nullable().optional(),
  max_drawdown_account: z.number().nullable().optional(),
  duration_avg: z.string().optional(),
})

const trade = z.looseObject({
  pair: z.string(),
  profit_abs: z.number(),
  profit_ratio: z.number(),
  close_timestamp: z.number(),
  open_timestamp: z.number(),
  exit_reason: z.string().nullable().optional(),
})

const nullableNumber = z.number().nullable()

/** Freqtrade's stats for one strategy (`generate_strategy_stats`): the keys tradai reports. */
export const strategyStatsSchema = z.looseObject({
  total_trades: z.number(),
  profit_total: z.number(),
  profit_total_abs: z.number(),
  profit_mean: nullableNumber,
  profit_median: nullableNumber.optional(),
  cagr: nullableNumber.optional(),
  expectancy: nullableNumber,
  expectancy_ratio: nullableNumber.optional(),
  sharpe: nullableNumber,
  sortino: nullableNumber,
  calmar: nullableNumber,
  sqn: nullableNumber.optional(),
  profit_factor: nullableNumber,
  market_change: nullableNumber,
  winrate: nullableNumber.optional(),
  wins: z.number(),
  losses: z.number(),
  draws: z.number(),
  max_drawdown_account: nullableNumber.optional(),
  max_relative_drawdown: nullableNumber.optional(),
  max_drawdown_abs: nullableNumber.optional(),
  starting_balance: z.number(),
  final_balance: z.number(),
  stake_currency: z.string(),
  trades_per_day: nullableNumber.optional(),
  backtest_start: z.string(),
  backtest_end: z.string(),
  backtest_days: z.number().optional(),
  timeframe: z.string(),
  results_per_pair: z.array(resultLine),
  exit_reason_summary: z.array(resultLine),
  trades: z.array(trade),
})

export const resultFileSchema = z.looseObject({
  strategy: z.record(z.string(), strategyStatsSchema),
})

export type StrategyStats = z.infer<typeof strategyStatsSchema>
export type ResultLine = z.infer<typeof resultLine>

/** Reads Freqtrade's exported result and returns the one strategy's stats, validated. */
export async function readStrategyStats(statsFile: string, strategyClass: string): Promise<StrategyStats> {
  let raw: unknown
  try {
    raw = JSON.parse(await readFile(statsFile, 'utf8'))
  } catch (error) {
    throw new EngineError(`Cannot read Freqtrade's result file ${statsFile}: ${(error as Error).message}`, {cause: error})
  }

  const parsed = resultFileSchema.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw new EngineError(
      `Freqtrade's result file ${statsFile} has an unexpected shape at "${issue.path.join('.')}": ${issue.message}. ` + 'The installed Freqtrade may not match the pinned version.',
      {suggestions: ['Run `tradai engine setup --force` to reinstall the pinned engine.']},
    )
  }

  const stats = parsed.data.strategy[strategyClass]
  if (!stats) {
    throw new EngineError(`Freqtrade's result file ${statsFile} has no result for ${strategyClass} (found: ${Object.keys(parsed.data.strategy).join(', ')}).`)
  }

  return stats
}
