import {describe, expect, it} from 'vitest'

import type {BacktestMetrics} from '../../src/core/backtest/metrics.js'
import {walkForwardCheck} from '../../src/core/challenge/challenge-settings.js'
import {evaluateMetric, evaluateWalkForwardMetric, needsWalkForward, parseCriterion, type Criterion, type WalkForwardAggregate} from '../../src/core/challenge/criteria.js'
import {UsageError} from '../../src/core/errors.js'
import type {EvidenceCheck} from '../../src/core/attestation/evidence.js'
import {covers, planPromotion, type VersionEvidence} from '../../src/core/promotion/plan.js'
import type {RegistryVersion} from '../../src/core/registry/state.js'

const aggregate = (overrides: Partial<WalkForwardAggregate> = {}): WalkForwardAggregate => ({
  efficiency: 0.62,
  oosProfitTotal: 0.013,
  oosProfitTotalAbs: 0.00013,
  oosMaxDrawdown: 0.02,
  oosTotalTrades: 7,
  isProfitTotal: 0.04,
  ...overrides,
})

const metricCriterion = (text: string): Extract<Criterion, {kind: 'metric'}> => {
  const parsed = parseCriterion(text, '--criterion')
  if (parsed.kind !== 'metric') throw new Error(`expected a metric criterion: ${text}`)
  return parsed
}

describe('walk-forward criteria (wf* metrics)', () => {
  it.each([
    ['wfEfficiency >= 0.5', 'wfEfficiency', '>=', 0.5],
    ['wfoosprofittotal > 0', 'wfOosProfitTotal', '>', 0],
    ['wfOosMaxDrawdown < 10%', 'wfOosMaxDrawdown', '<', 0.1],
    ['wfOosTotalTrades >= 5', 'wfOosTotalTrades', '>=', 5],
  ])('parses %s', (text, metric, op, value) => {
    expect(parseCriterion(text, '--criterion')).toMatchObject({kind: 'metric', metric, op, value})
  })

  it('an unknown metric is still a usage error, and the known ones listed include the wf* metrics', () => {
    const attempt = () => parseCriterion('wfSharpe >= 1', '--criterion')
    expect(attempt).toThrow(UsageError)
    try {
      attempt()
    } catch (error) {
      const {message, suggestions} = error as UsageError
      expect(message).toContain('Unknown metric "wfSharpe"')
      const listed = suggestions.join(' ')
      for (const name of ['sharpe', 'wfEfficiency', 'wfOosProfitTotal', 'wfOosMaxDrawdown', 'wfOosTotalTrades']) expect(listed).toContain(name)
    }
  })

  it("judges wf* criteria on the walk-forward's aggregate, in the walk-forward window", () => {
    expect(evaluateWalkForwardMetric(metricCriterion('wfEfficiency >= 0.5'), aggregate())).toEqual({
      criterion: 'wfEfficiency >= 0.5',
      window: 'walk-forward',
      actual: 0.62,
      op: '>=',
      threshold: 0.5,
      passed: true,
      skipped: false,
    })
    expect(evaluateWalkForwardMetric(metricCriterion('wfEfficiency >= 0.5'), aggregate({efficiency: 0.49})).passed).toBe(false)
    expect(evaluateWalkForwardMetric(metricCriterion('wfOosProfitTotal > 0'), aggregate({oosProfitTotal: -0.01}))).toMatchObject({actual: -0.01, passed: false})
    expect(evaluateWalkForwardMetric(metricCriterion('wfOosMaxDrawdown < 0.05'), aggregate())).toMatchObject({actual: 0.02, passed: true})
    expect(evaluateWalkForwardMetric(metricCriterion('wfOosTotalTrades >= 8'), aggregate())).toMatchObject({actual: 7, passed: false})
  })

  it('a null efficiency (in-sample return not positive) fails with a note saying why', () => {
    expect(evaluateWalkForwardMetric(metricCriterion('wfEfficiency >= 0'), aggregate({efficiency: null}))).toMatchObject({
      actual: null,
      passed: false,
      note: expect.stringMatching(/in-sample return was not positive/),
    })
  })

  it('a wf* criterion is never judged on backtest metrics, and a backtest metric never on the aggregate', () => {
    const metrics = {totalTrades: 40, profitTotal: 0.05} as BacktestMetrics
    expect(evaluateMetric(metricCriterion('wfOosProfitTotal > 0'), metrics, 'in-sample')).toMatchObject({actual: null, passed: false})
    expect(() => evaluateWalkForwardMetric(metricCriterion('profitTotal > 0'), aggregate())).toThrow(TypeError)
  })

  it('only wf* criteria ask for a walk-forward; without its train/test days that is a usage error naming the flags', () => {
    const plain = [parseCriterion('sharpe >= 1', 'x'), parseCriterion('beatsMarket', 'x')]
    expect(needsWalkForward(plain)).toBe(false)
    expect(walkForwardCheck({trainDays: 3, testDays: 2}, plain, '/studies')).toBeUndefined()
    const wf = [...plain, parseCriterion('wfEfficiency >= 0.5', 'x')]
    expect(needsWalkForward(wf)).toBe(true)
    expect(() => walkForwardCheck(undefined, wf, '/studies')).toThrow(/--wf-train-days D and --wf-test-days D/)
    expect(() => walkForwardCheck({trainDays: 3}, wf, '/studies')).toThrow(UsageError)
    expect(walkForwardCheck({trainDays: 3, testDays: 2, windows: 2, epochs: 3}, wf, '/studies')).toEqual({
      trainDays: 3,
      testDays: 2,
      windows: 2,
      anchored: false,
      epochs: 3,
      spaces: ['buy', 'sell'],
      loss: 'SharpeHyperOptLoss',
      seed: 42,
      studiesDir: '/studies',
    })
  })

  it('a gate policy wf* criterion is covered by an at-least-as-strict evaluated one on the same metric only', () => {
    expect(covers(parseCriterion('wfEfficiency >= 0.6', 'x'), parseCriterion('wfEfficiency >= 0.5', 'y'))).toBe(true)
    expect(covers(parseCriterion('wfEfficiency >= 0.4', 'x'), parseCriterion('wfEfficiency >= 0.5', 'y'))).toBe(false)
    expect(covers(parseCriterion('profitTotal > 0', 'x'), parseCriterion('wfOosProfitTotal > 0', 'y'))).toBe(false)
  })

  it('a wf* staging policy criterion counts only when the signed challenge judged it in its walk-forward window', () => {
    const hash = 'a'.repeat(64)
    const version: RegistryVersion = {
      version: 1,
      state: 'registered',
      codeHash: hash,
      runId: 'reg1',
      source: null,
      createdAt: null,
      aliases: [],
      tags: {
        'tradai.state': 'registered',
        'tradai.code_hash': hash,
        'tradai.lint.status': 'passed',
        'tradai.challenge.status': 'passed',
        'tradai.challenge.run_id': 'ch1',
        'tradai.challenge.code_hash': hash,
      },
    }
    const signed = (kind: EvidenceCheck['kind'], runId: string, status: string, policy: Record<string, unknown> | null = null): EvidenceCheck => ({
      kind,
      verified: true,
      reason: null,
      ref: `runs:/${runId}/attestations/${kind}.json`,
      runId,
      status,
      at: '2026-01-01T00:00:00.000Z',
      who: 'ci',
      policy,
    })
    const evidence = (criteria: string[]): VersionEvidence => ({
      registration: signed('registration', 'reg1', 'registered'),
      code: {verified: true, attestedHash: hash, registryHash: hash, reason: null},
      lint: signed('lint', 'reg1', 'passed'),
      challenge: signed('challenge', 'ch1', 'passed', {criteria}),
    })
    const plan = (criteria: string[]) =>
      planPromotion(
        {model: 'S', aliases: {staging: null, production: null}, versions: [version], audit: [], lock: null},
        {
          action: 'stage',
          version: 1,
          force: false,
          who: 'ana',
          at: '2026-01-01T00:00:00.000Z',
          policy: {
            challengeCriteria: [parseCriterion('wfEfficiency >= 0.5', 'gates.challenge.criteria')],
            shadow: {minDays: 2, minTrades: 3, minMatchRate: 0.5, maxProfitDrift: 0.5, profitDriftFloor: 0.01, maxDrawdown: 0.25},
          },
        },
        evidence(criteria),
      )
    expect(plan(['wfEfficiency >= 0.6 [walk-forward]']).allowed).toBe(true)
    expect(plan(['wfEfficiency >= 0.4 [walk-forward]']).refusals[0]?.message).toContain('"wfEfficiency >= 0.5" (gates.challenge.criteria)')
    expect(plan(['wfEfficiency >= 0.6 [monte-carlo]']).allowed).toBe(false)
  })
})
