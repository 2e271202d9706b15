import {describe, expect, it} from 'vitest'

import type {BacktestMetrics} from '../../src/core/backtest/metrics.js'
import {criteriaFromDocument, evaluateBeatsMarket, evaluateBeatsProduction, evaluateMetric, parseCriterion} from '../../src/core/challenge/criteria.js'
import {UsageError} from '../../src/core/errors.js'

const metrics = (overrides: Partial<BacktestMetrics> = {}): BacktestMetrics =>
  ({totalTrades: 40, profitTotal: 0.05, marketChange: 0.01, sharpe: 1.4, maxDrawdown: 0.1, profitFactor: 1.5, ...overrides}) as BacktestMetrics

describe('criteria', () => {
  it.each([
    ['sharpe >= 1.0', {metric: 'sharpe', op: '>=', value: 1}],
    ['maxDrawdown<0.25', {metric: 'maxDrawdown', op: '<', value: 0.25}],
    ['  totalTrades >= 30 ', {metric: 'totalTrades', op: '>=', value: 30}],
    ['profitfactor > 1.2', {metric: 'profitFactor', op: '>', value: 1.2}],
    ['maxDrawdown < 25%', {metric: 'maxDrawdown', op: '<', value: 0.25}],
    ['profitTotal != -1e-3', {metric: 'profitTotal', op: '!=', value: -0.001}],
  ])('parses %s', (text, expected) => {
    expect(parseCriterion(text, '--criterion')).toMatchObject({kind: 'metric', ...expected})
  })

  it('parses named checks', () => {
    expect(parseCriterion('beatsMarket', 'x')).toEqual({kind: 'named', expression: 'beatsMarket', check: 'beatsMarket'})
    expect(parseCriterion('BEATSPRODUCTION', 'x')).toMatchObject({check: 'beatsProduction'})
  })

  it.each(['sharpe => 1', 'sharpe >=', 'sharpe', '>= 1', 'sharpe >= one', 'sharpe >= 1 2'])('a malformed criterion "%s" is a usage error naming it', (text) => {
    expect(() => parseCriterion(text, 'file c.yaml')).toThrow(UsageError)
    expect(() => parseCriterion(text, 'file c.yaml')).toThrow(new RegExp(`"${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}" \\(file c.yaml\\)`))
  })

  it('an unknown metric names the metric and lists the known ones', () => {
    expect(() => parseCriterion('sharp >= 1', '--criterion')).toThrow(/Unknown metric "sharp"/)
  })

  it('evaluates metrics; a missing value fails with a note', () => {
    const sharpe = parseCriterion('sharpe >= 1', 'x')
    if (sharpe.kind !== 'metric') throw new Error('expected a metric criterion')
    expect(evaluateMetric(sharpe, metrics(), 'in-sample')).toMatchObject({actual: 1.4, threshold: 1, passed: true})
    expect(evaluateMetric(sharpe, metrics({sharpe: 0.9}), 'in-sample').passed).toBe(false)
    expect(evaluateMetric(sharpe, metrics({sharpe: null}), 'in-sample')).toMatchObject({actual: null, passed: false, note: expect.stringMatching(/no sharpe/)})
  })

  it('beatsMarket compares profit with the market change', () => {
    expect(evaluateBeatsMarket(metrics(), 'in-sample')).toMatchObject({actual: 0.05, threshold: 0.01, passed: true})
    expect(evaluateBeatsMarket(metrics({profitTotal: -0.02, marketChange: -0.01}), 'in-sample').passed).toBe(false)
  })

  it('beatsProduction needs strictly better, and lower is better for drawdowns', () => {
    expect(evaluateBeatsProduction('profitTotal', metrics({profitTotal: 0.06}), metrics(), 1).passed).toBe(true)
    expect(evaluateBeatsProduction('profitTotal', metrics(), metrics(), 1).passed).toBe(false)
    expect(evaluateBeatsProduction('maxDrawdown', metrics({maxDrawdown: 0.05}), metrics(), 1)).toMatchObject({op: '<', passed: true})
  })

  it('reads criteria files as a list or {criteria: [...]}', () => {
    expect(criteriaFromDocument(['a'], 'f')).toEqual(['a'])
    expect(criteriaFromDocument({criteria: ['a', 'b']}, 'f')).toEqual(['a', 'b'])
    expect(() => criteriaFromDocument({rules: []}, 'f')).toThrow(UsageError)
  })
})
