import {compare, parseComparison, type Operator} from '../challenge/criteria.js'
import {UsageError} from '../errors.js'
import type {TrialMetrics, TrialRow} from './result.js'

/** What `hyperopt show --sort-by` and `--filter` may name: the trial's loss, its number, and its numeric metrics. */
export const TRIAL_FIELDS = [
  'loss',
  'number',
  'totalTrades',
  'profitTotal',
  'profitTotalAbs',
  'maxDrawdown',
  'sharpe',
  'sortino',
  'calmar',
  'winRate',
  'profitFactor',
  'expectancy',
] as const satisfies ReadonlyArray<'loss' | 'number' | keyof TrialMetrics>

export type TrialField = (typeof TRIAL_FIELDS)[number]

/** Sorted best first: these ascending (smaller is better, or the natural order of trial numbers), the rest descending. */
const ASCENDING: ReadonlySet<TrialField> = new Set(['loss', 'number', 'maxDrawdown'])

export interface TrialSelectionRequest {
  sortBy?: string
  top?: number
  filter?: string[]
}

/** What was applied, so `--json` says which trials it holds out of how many. */
export interface TrialSelection {
  sortBy: TrialField | null
  top: number | null
  filter: string[]
  matched: number
  total: number
}

interface TrialFilter {
  expression: string
  field: TrialField
  op: Operator
  value: number
}

export function trialValue(row: TrialRow, field: TrialField): number | null {
  const value = field === 'loss' ? row.loss : field === 'number' ? row.number : row.metrics?.[field]
  return typeof value === 'number' && Number.isFinite(value) ? value : null
}

function sortField(given: string): TrialField {
  const field = TRIAL_FIELDS.find((name) => name.toLowerCase() === given.toLowerCase())
  if (!field) throw new UsageError(`Cannot sort trials by "${given}".`, {suggestions: [`--sort-by one of: ${TRIAL_FIELDS.join(', ')}.`]})
  return field
}

/** `--filter "profitTotal > 0"`: the challenge's criterion grammar over a trial's fields. */
export function parseTrialFilter(text: string): TrialFilter {
  const {name, op, value} = parseComparison(text, '--filter', TRIAL_FIELDS, {kind: 'filter', expected: '"field op value" like "profitTotal > 0" or "totalTrades >= 10"'})
  return {expression: `${name} ${op} ${value}`, field: name, op, value}
}

export function validateTrialSelection(request: TrialSelectionRequest): void {
  if (request.sortBy !== undefined) sortField(request.sortBy)
  if (request.top !== undefined && !(Number.isInteger(request.top) && request.top >= 1)) {
    throw new UsageError(`--top must be a whole number of trials of at least 1, not ${request.top}.`)
  }

  for (const text of request.filter ?? []) parseTrialFilter(text)
}

/**
 * The trials `hyperopt show` prints: those passing every filter (a trial without the value
 * fails it), sorted best first by the field (missing values last, ties by trial number), then the
 * first N. Without any of the three, the trials as stored.
 */
export function selectTrials(rows: TrialRow[], request: TrialSelectionRequest): {rows: TrialRow[]; selection: TrialSelection} {
  validateTrialSelection(request)
  const filters = (request.filter ?? []).map((text) => parseTrialFilter(text))
  let selected = rows.filter((row) =>
    filters.every((filter) => {
      const value = trialValue(row, filter.field)
      return value !== null && compare(value, filter.op, filter.value)
    }),
  )
  const sortBy = request.sortBy === undefined ? null : sortField(request.sortBy)
  if (sortBy) {
    const sign = ASCENDING.has(sortBy) ? 1 : -1
    selected = [...selected].sort((a, b) => {
      const x = trialValue(a, sortBy)
      const y = trialValue(b, sortBy)
      if (x === null || y === null) return x === y ? a.number - b.number : x === null ? 1 : -1
      return sign * (x - y) || a.number - b.number
    })
  }

  const matched = selected.length
  if (request.top !== undefined) selected = selected.slice(0, request.top)
  return {
    rows: selected,
    selection: {sortBy, top: request.top ?? null, filter: filters.map((filter) => filter.expression), matched, total: rows.length},
  }
}
