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

/**
 * Walk-forward metrics a criterion may name: the `aggregate` of `tradai strategy walk-forward
 * --json`, prefixed `wf`. A criterion naming one makes the challenge run a walk-forward.
 */
export const WALK_FORWARD_METRICS = {
  wfEfficiency: 'efficiency',
  wfOosProfitTotal: 'oosProfitTotal',
  wfOosProfitTotalAbs: 'oosProfitTotalAbs',
  wfOosMaxDrawdown: 'oosMaxDrawdown',
  wfOosTotalTrades: 'oosTotalTrades',
  wfIsProfitTotal: 'isProfitTotal',
} as const

export type WalkForwardMetric = keyof typeof WALK_FORWARD_METRICS
/** The walk-forward aggregate criteria are judged on (WalkForwardResult['aggregate']). */
export type WalkForwardAggregate = Record<(typeof WALK_FORWARD_METRICS)[WalkForwardMetric], number | null>

const WF_METRIC_NAMES = Object.keys(WALK_FORWARD_METRICS) as WalkForwardMetric[]

export function isWalkForwardMetric(metric: string): metric is WalkForwardMetric {
  return Object.hasOwn(WALK_FORWARD_METRICS, metric)
}

/** Whether any criterion needs a walk-forward of the challenged version. */
export function needsWalkForward(criteria: Criterion[]): boolean {
  return criteria.some((criterion) => criterion.kind === 'metric' && isWalkForwardMetric(criterion.metric))
}

/** Metrics where smaller is better (the champion/challenger comparison flips for them). */
export const LOWER_IS_BETTER: ReadonlySet<CriterionMetric> = new Set(['maxDrawdown', 'maxDrawdownAbs', 'maxRelativeDrawdown', 'losses'])

export const OPERATORS = ['>=', '<=', '==', '!=', '>', '<'] as const
export type Operator = (typeof OPERATORS)[number]

/** Checks that are not `metric op value`: named comparisons the challenge computes itself. */
export const NAMED_CHECKS = ['beatsMarket', 'beatsProduction'] as const
export type NamedCheck = (typeof NAMED_CHECKS)[number]

export type Criterion =
  {kind: 'metric'; expression: string; metric: CriterionMetric | WalkForwardMetric; op: Operator; value: number} | {kind: 'named'; expression: string; check: NamedCheck}

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
  const {
    name: metric,
    op,
    value,
  } = parseComparison(text, origin, [...CRITERION_METRICS, ...WF_METRIC_NAMES], {
    expected: `"metric op value" like "sharpe >= 1.0", or one of ${NAMED_CHECKS.join(', ')}`,
    namesHint: `Metrics: ${CRITERION_METRICS.join(', ')}; walk-forward metrics: ${WF_METRIC_NAMES.join(', ')}; named checks: ${NAMED_CHECKS.join(', ')}.`,
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
  window: 'in-sample' | 'out-of-sample' | 'monte-carlo' | 'champion' | 'walk-forward'
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
  const actual = isWalkForwardMetric(criterion.metric) ? undefined : metrics[criterion.metric]
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

/**
 * A `wf* op value` criterion judged on a walk-forward's aggregate (window 'walk-forward'); a
 * missing value fails (efficiency is null when the in-sample return was not positive).
 */
export function evaluateWalkForwardMetric(criterion: Extract<Criterion, {kind: 'metric'}>, aggregate: WalkForwardAggregate): CriterionResult {
  if (!isWalkForwardMetric(criterion.metric)) throw new TypeError(`${criterion.metric} is not a walk-forward metric`)
  const key = WALK_FORWARD_METRICS[criterion.metric]
  const actual = aggregate[key]
  const usable = typeof actual === 'number' && Number.isFinite(actual)
  return {
    criterion: criterion.expression,
    window: 'walk-forward',
    actual: usable ? actual : null,
    op: criterion.op,
    threshold: criterion.value,
    passed: usable && compare(actual, criterion.op, criterion.value),
    skipped: false,
    ...(usable ? {} : {note: key === 'efficiency' ? 'no walk-forward efficiency: the in-sample return was not positive' : `the walk-forward reported no ${key}`}),
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
