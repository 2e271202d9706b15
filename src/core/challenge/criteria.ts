import type {BacktestMetrics} from '../backtest/metrics.js'
import {UsageError} from '../errors.js'

/** Backtest metrics a criterion may name: the keys of `metrics` in `tradai strategy backtest --json`. */
export const CRITERION_METRICS = [
  'totalTrades',
  'wins',
  'losses',
  'draws',
  'winRate',
  'profitTotal',
  'profitTotalAbs',
  'profitMean',
  'maxDrawdown',
  'maxDrawdownAbs',
  'maxRelativeDrawdown',
  'sharpe',
  'sortino',
  'calmar',
  'sqn',
  'cagr',
  'profitFactor',
  'expectancy',
  'expectancyRatio',
  'marketChange',
  'tradesPerDay',
  'startingBalance',
  'finalBalance',
] as const satisfies ReadonlyArray<keyof BacktestMetrics>

export type CriterionMetric = (typeof CRITERION_METRICS)[number]

/** Metrics where smaller is better (the champion/challenger comparison flips for them). */
export const LOWER_IS_BETTER: ReadonlySet<CriterionMetric> = new Set(['maxDrawdown', 'maxDrawdownAbs', 'maxRelativeDrawdown', 'losses'])

export const OPERATORS = ['>=', '<=', '==', '!=', '>', '<'] as const
export type Operator = (typeof OPERATORS)[number]

/** Checks that are not `metric op value`: named comparisons the challenge computes itself. */
export const NAMED_CHECKS = ['beatsMarket', 'beatsProduction'] as const
export type NamedCheck = (typeof NAMED_CHECKS)[number]

export type Criterion =
  | {kind: 'metric'; expression: string; metric: CriterionMetric; op: Operator; value: number}
  | {kind: 'named'; expression: string; check: NamedCheck}

const EXPRESSION = /^\s*([A-Za-z][A-Za-z0-9]*)\s*(>=|<=|==|!=|>|<)\s*(-?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)\s*(%?)\s*$/i

/**
 * `sharpe >= 1.0`, `maxDrawdown < 0.25`, `totalTrades >= 30`, or a named check (`beatsMarket`,
 * `beatsProduction`). A percent sign divides by 100 (`maxDrawdown < 25%`): ratios stay ratios.
 * `origin` says where the text came from, so the error names it (exit 2).
 */
export function parseCriterion(text: string, origin: string): Criterion {
  const trimmed = text.trim()
  const named = NAMED_CHECKS.find((check) => check.toLowerCase() === trimmed.toLowerCase())
  if (named) return {kind: 'named', expression: named, check: named}
  const {name: metric, op, value} = parseComparison(text, origin, CRITERION_METRICS, {
    expected: `"metric op value" like "sharpe >= 1.0", or one of ${NAMED_CHECKS.join(', ')}`,
    namesHint: `Metrics: ${CRITERION_METRICS.join(', ')}; named checks: ${NAMED_CHECKS.join(', ')}.`,
  })
  return {kind: 'metric', expression: `${metric} ${op} ${value}`, metric, op, value}
}

/**
 * `name op value` over a caller's own list of names (case-insensitive; `%` divides by 100): the
 * grammar of a criterion, shared by whatever else filters on numbers (`hyperopt show --filter`).
 */
export function parseComparison<Name extends string>(
  text: string,
  origin: string,
  names: readonly Name[],
  words: {expected?: string; namesHint?: string; kind?: string} = {},
): {name: Name; op: Operator; value: number} {
  const kind = words.kind ?? 'criterion'
  const match = EXPRESSION.exec(text)
  if (!match) {
    throw new UsageError(`Malformed ${kind} "${text}" (${origin}): expected ${words.expected ?? `"name op value" like "${names[0]} >= 1"`}.`, {
      suggestions: [`Operators: ${OPERATORS.join(' ')}. Metrics: ${names.join(', ')}.`],
    })
  }

  const [, given, op, number, percent] = match as unknown as [string, string, Operator, string, string]
  const name = names.find((candidate) => candidate.toLowerCase() === given.toLowerCase())
  if (!name) {
    throw new UsageError(`Unknown metric "${given}" in ${kind} "${text}" (${origin}).`, {
      suggestions: [words.namesHint ?? `Metrics: ${names.join(', ')}.`],
    })
  }

  return {name, op, value: Number(number) / (percent ? 100 : 1)}
}

/** Criteria from a file: a list of expressions, or `{criteria: [...]}` (JSON or YAML, already parsed). */
export function criteriaFromDocument(document: unknown, origin: string): string[] {
  const list = Array.isArray(document) ? document : (document as {criteria?: unknown} | null)?.criteria
  if (!Array.isArray(list) || !list.every((entry) => typeof entry === 'string')) {
    throw new UsageError(`${origin} holds no criteria: expected a list of strings like ["sharpe >= 1", "beatsMarket"], or {criteria: [...]}.`)
  }

  return list as string[]
}

export function compare(actual: number, op: Operator, threshold: number): boolean {
  switch (op) {
    case '>=': {
      return actual >= threshold
    }

    case '>': {
      return actual > threshold
    }

    case '<=': {
      return actual <= threshold
    }

    case '<': {
      return actual < threshold
    }

    case '==': {
      return actual === threshold
    }

    case '!=': {
      return actual !== threshold
    }
  }
}

/** One criterion's outcome: what the report, the tags and the exit code are built from. */
export interface CriterionResult {
  criterion: string
  /** Which backtest it was judged on. */
  window: 'in-sample' | 'out-of-sample' | 'monte-carlo' | 'champion'
  actual: number | null
  op: Operator
  threshold: number | null
  passed: boolean
  /** Not applicable (no production version to beat): counts as passed, says why. */
  skipped: boolean
  note?: string
}

/** A `metric op value` criterion judged on one backtest's metrics; a missing value fails. */
export function evaluateMetric(criterion: Extract<Criterion, {kind: 'metric'}>, metrics: BacktestMetrics, window: CriterionResult['window']): CriterionResult {
  const actual = metrics[criterion.metric]
  const usable = typeof actual === 'number' && Number.isFinite(actual)
  return {
    criterion: criterion.expression,
    window,
    actual: usable ? actual : null,
    op: criterion.op,
    threshold: criterion.value,
    passed: usable && compare(actual, criterion.op, criterion.value),
    skipped: false,
    ...(usable ? {} : {note: `Freqtrade reported no ${criterion.metric} (too few trades?)`}),
  }
}

/** beatsMarket: the strategy's profit ratio above the market's change over the same candles. */
export function evaluateBeatsMarket(metrics: BacktestMetrics, window: CriterionResult['window']): CriterionResult {
  const market = metrics.marketChange
  const usable = typeof market === 'number' && Number.isFinite(market)
  return {
    criterion: 'beatsMarket',
    window,
    actual: metrics.profitTotal,
    op: '>',
    threshold: usable ? market : null,
    passed: usable && metrics.profitTotal > market,
    skipped: false,
    note: usable ? 'profitTotal > marketChange' : 'Freqtrade reported no market change',
  }
}

/**
 * beatsProduction: the challenger better than the champion on `metric` over the same candles
 * (strictly greater, or strictly smaller for drawdowns and losses).
 */
export function evaluateBeatsProduction(metric: CriterionMetric, challenger: BacktestMetrics, champion: BacktestMetrics, championVersion: number): CriterionResult {
  const op: Operator = LOWER_IS_BETTER.has(metric) ? '<' : '>'
  const actual = challenger[metric]
  const threshold = champion[metric]
  const usable = typeof actual === 'number' && Number.isFinite(actual) && typeof threshold === 'number' && Number.isFinite(threshold)
  return {
    criterion: 'beatsProduction',
    window: 'champion',
    actual: typeof actual === 'number' ? actual : null,
    op,
    threshold: typeof threshold === 'number' ? threshold : null,
    passed: usable && compare(actual, op, threshold),
    skipped: false,
    note: `${metric} ${op} production v${championVersion}'s`,
  }
}
