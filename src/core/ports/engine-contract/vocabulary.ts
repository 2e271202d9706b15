/**
 * The words both sides of the bridge must agree on, defined once: TS validates flags with them,
 * and `npm run contract` writes them into the contract file the engine reads its own lists and
 * patterns from (python/tradai_engine/contract: `vocabulary()`). python/tests checks the lists
 * that Freqtrade itself owns (losses, spaces) against the installed Freqtrade.
 */

/** Freqtrade's hyperopt spaces (HyperOptimizer.init_spaces); "default" = buy sell roi stoploss. */
export const SPACES = ['all', 'default', 'buy', 'sell', 'protection', 'roi', 'stoploss', 'trailing', 'trades'] as const
/** Freqtrade's built-in loss classes (freqtrade.constants.HYPEROPT_LOSS_BUILTIN). */
export const LOSSES = [
  'ShortTradeDurHyperOptLoss',
  'OnlyProfitHyperOptLoss',
  'SharpeHyperOptLoss',
  'SharpeHyperOptLossDaily',
  'SortinoHyperOptLoss',
  'SortinoHyperOptLossDaily',
  'CalmarHyperOptLoss',
  'MaxDrawDownHyperOptLoss',
  'MaxDrawDownRelativeHyperOptLoss',
  'MaxDrawDownPerPairHyperOptLoss',
  'ProfitDrawDownHyperOptLoss',
  'MultiMetricHyperOptLoss',
] as const
/** Optuna samplers the engine builds (python/tradai_engine/hyperopt/study.py). */
export const SAMPLERS = ['tpe', 'nsga2', 'cmaes', 'random', 'gp'] as const
/** python/tradai_engine/hyperopt/objectives.py: the Freqtrade loss, or a stat with its direction. */
export const OBJECTIVES = ['loss', 'profit', 'drawdown', 'trades', 'sharpe', 'sortino', 'calmar', 'winrate', 'expectancy'] as const

/** `BASE/QUOTE` or `BASE/QUOTE:SETTLE` (futures), the way Freqtrade and ccxt name pairs; groups: base, quote, settle. */
export const PAIR_PATTERN = /^([A-Z0-9][A-Z0-9._-]*)\/([A-Z0-9][A-Z0-9._-]*)(?::([A-Z0-9]+))?$/
/** A candle length: count and unit (s m h d w M); groups: count, unit. */
export const TIMEFRAME_PATTERN = /^([1-9][0-9]*)([smhdwM])$/
/** Freqtrade's timerange: `YYYYMMDD-YYYYMMDD`, either side may be open. */
export const TIMERANGE_PATTERN = /^(\d{8})?-(\d{8})?$/

/** The vocabulary as the contract file carries it (regular expressions as their source, valid in Python's `re` too). */
export function vocabularyJson(): Record<string, unknown> {
  return {
    spaces: [...SPACES],
    losses: [...LOSSES],
    samplers: [...SAMPLERS],
    objectives: [...OBJECTIVES],
    patterns: {pair: PAIR_PATTERN.source, timeframe: TIMEFRAME_PATTERN.source, timerange: TIMERANGE_PATTERN.source},
  }
}
