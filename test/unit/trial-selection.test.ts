import {describe, expect, it} from 'vitest'

import {UsageError} from '../../src/core/errors.js'
import type {TrialMetrics, TrialRow} from '../../src/core/hyperopt/result.js'
import {selectTrials} from '../../src/core/hyperopt/trial-selection.js'

const metrics = (m: Partial<TrialMetrics>): TrialMetrics => ({
  totalTrades: null,
  profitTotal: null,
  profitTotalAbs: null,
  maxDrawdown: null,
  sharpe: null,
  sortino: null,
  calmar: null,
  winRate: null,
  profitFactor: null,
  expectancy: null,
  holdingAvg: null,
  backtestStart: null,
  backtestEnd: null,
  ...m,
})
const row = (number: number, loss: number | null, m: Partial<TrialMetrics> | null): TrialRow => ({
  number,
  state: 'complete',
  values: loss === null ? null : [loss],
  loss,
  params: {},
  metrics: m ? metrics(m) : null,
})

const trials = [
  row(0, 1.5, {profitTotal: -0.02, totalTrades: 4, maxDrawdown: 0.1}),
  row(1, -0.8, {profitTotal: 0.03, totalTrades: 9, maxDrawdown: 0.05}),
  row(2, -1.2, {profitTotal: 0.01, totalTrades: 12, maxDrawdown: 0.2}),
  row(3, null, null), // a failed trial: no loss, no metrics
  row(4, -0.8, {profitTotal: 0.05, totalTrades: 3, maxDrawdown: 0.02}),
]
const numbers = (rows: TrialRow[]) => rows.map((t) => t.number)

describe('hyperopt show --sort-by / --top / --filter', () => {
  it('sorts loss ascending (best first), ties by trial number, missing values last', () => {
    const {rows, selection} = selectTrials(trials, {sortBy: 'loss'})
    expect(numbers(rows)).toEqual([2, 1, 4, 0, 3])
    expect(selection).toEqual({sortBy: 'loss', top: null, filter: [], matched: 5, total: 5})
  })

  it('sorts profit and trade counts descending, drawdown ascending (case-insensitive names)', () => {
    expect(numbers(selectTrials(trials, {sortBy: 'PROFITTOTAL'}).rows)).toEqual([4, 1, 2, 0, 3])
    expect(numbers(selectTrials(trials, {sortBy: 'totalTrades'}).rows)).toEqual([2, 1, 0, 4, 3])
    expect(numbers(selectTrials(trials, {sortBy: 'maxDrawdown'}).rows)).toEqual([4, 1, 0, 2, 3])
  })

  it('filters with the criterion grammar (all filters hold; a trial without the value fails; % divides by 100)', () => {
    expect(numbers(selectTrials(trials, {filter: ['profitTotal > 0']}).rows)).toEqual([1, 2, 4])
    expect(numbers(selectTrials(trials, {filter: ['profitTotal > 0', 'totalTrades >= 5']}).rows)).toEqual([1, 2])
    expect(numbers(selectTrials(trials, {filter: ['profitTotal >= 3%']}).rows)).toEqual([1, 4])
    expect(numbers(selectTrials(trials, {filter: ['loss < 0']}).rows)).toEqual([1, 2, 4])
  })

  it('takes the top N after filtering and sorting, and says how many matched', () => {
    const {rows, selection} = selectTrials(trials, {filter: ['profitTotal > 0'], sortBy: 'profitTotal', top: 2})
    expect(numbers(rows)).toEqual([4, 1])
    expect(selection).toEqual({sortBy: 'profitTotal', top: 2, filter: ['profitTotal > 0'], matched: 3, total: 5})
  })

  it('refuses an unknown field, a malformed filter and a bad --top with a usage error naming the value', () => {
    expect(() => selectTrials(trials, {sortBy: 'profit'})).toThrow(UsageError)
    expect(() => selectTrials(trials, {sortBy: 'profit'})).toThrow(/"profit"/)
    expect(() => selectTrials(trials, {filter: ['profit > 0']})).toThrow(/Unknown metric "profit" in filter "profit > 0" \(--filter\)/)
    expect(() => selectTrials(trials, {filter: ['profitTotal >']})).toThrow(/Malformed filter "profitTotal >"/)
    expect(() => selectTrials(trials, {top: 0})).toThrow(/--top .* not 0/)
  })
})
