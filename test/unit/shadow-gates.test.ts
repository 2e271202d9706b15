import {describe, expect, it} from 'vitest'

import {parseCriterion} from '../../src/core/challenge/criteria.js'
import type {EvidenceCheck} from '../../src/core/attestation/evidence.js'
import {covers, planPromotion, type PromotionRequest, type ShadowEvidence, type VersionEvidence} from '../../src/core/promotion/plan.js'
import type {RegistryState, RegistryVersion} from '../../src/core/registry/state.js'
import {computeDrift} from '../../src/core/shadow/drift.js'
import {evaluateShadowGate, type ShadowGatePolicy} from '../../src/core/shadow/gate.js'

const HASH = 'a'.repeat(64)
const OTHER = 'b'.repeat(64)
const POLICY: ShadowGatePolicy = {minDays: 2, minTrades: 3, minMatchRate: 0.5, maxProfitDrift: 0.5, profitDriftFloor: 0.01, maxDrawdown: 0.25}
const c = (text: string) => parseCriterion(text, 'test')

function version(number: number, state: RegistryVersion['state'], tags: Record<string, string> = {}): RegistryVersion {
  return {
    version: number,
    state,
    codeHash: HASH,
    runId: `reg${number}`,
    source: null,
    createdAt: null,
    aliases: [],
    tags: {
      'tradai.state': state,
      'tradai.code_hash': HASH,
      'tradai.lint.status': 'passed',
      'tradai.challenge.status': 'passed',
      'tradai.challenge.run_id': `ch${number}`,
      'tradai.challenge.code_hash': HASH,
      ...tags,
    },
  }
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
/** Verified evidence of v1 whose signed challenge evaluated these criteria ("expression [window]", as run-challenge attests them). */
const challenge = (criteria: Array<{criterion: string; window: string}>): VersionEvidence => ({
  registration: signed('registration', 'reg1', 'registered'),
  code: {verified: true, attestedHash: HASH, registryHash: HASH, reason: null},
  lint: signed('lint', 'reg1', 'passed'),
  challenge: signed('challenge', 'ch1', 'passed', {criteria: criteria.map((entry) => `${entry.criterion} [${entry.window}]`)}),
})
const registry = (v: RegistryVersion, aliases: Partial<RegistryState['aliases']> = {}): RegistryState => ({
  model: 'S',
  aliases: {staging: null, production: null, ...aliases},
  versions: [v],
  audit: [],
  lock: null,
})
const request = (overrides: Partial<PromotionRequest>): PromotionRequest => ({
  action: 'stage',
  force: false,
  who: 'ana',
  at: '2026-01-01T00:00:00.000Z',
  policy: {challengeCriteria: [c('totalTrades >= 30'), c('maxDrawdown < 0.25')], shadow: POLICY},
  ...overrides,
})
const goodMeasured = {completed: true, days: 3, trades: 5, matchRate: 0.8, profitDrift: 0.1, maxDrawdown: 0.05}
const shadowTags = {'tradai.shadow.status': 'passed', 'tradai.shadow.run_id': 'sh1', 'tradai.shadow.code_hash': HASH}
const shadow = (overrides: Partial<ShadowEvidence> = {}): ShadowEvidence => ({
  runId: 'sh1',
  found: true,
  status: 'passed',
  codeHash: HASH,
  model: 'S',
  version: '1',
  measured: goodMeasured,
  attestation: signed('shadow', 'sh1', 'passed'),
  ...overrides,
})

describe('policy criteria coverage', () => {
  it('accepts criteria at least as strict, refuses weaker or other metrics', () => {
    expect(covers(c('totalTrades >= 40'), c('totalTrades >= 30'))).toBe(true)
    expect(covers(c('totalTrades > 29'), c('totalTrades >= 30'))).toBe(false)
    expect(covers(c('totalTrades > 30'), c('totalTrades >= 30'))).toBe(true)
    expect(covers(c('totalTrades >= 1'), c('totalTrades >= 30'))).toBe(false)
    expect(covers(c('maxDrawdown < 0.2'), c('maxDrawdown < 0.25'))).toBe(true)
    expect(covers(c('maxDrawdown <= 0.25'), c('maxDrawdown < 0.25'))).toBe(false)
    expect(covers(c('maxDrawdown < 0.3'), c('maxDrawdown < 0.25'))).toBe(false)
    expect(covers(c('sharpe >= 2'), c('maxDrawdown < 0.25'))).toBe(false)
    expect(covers(c('beatsMarket'), c('beatsMarket'))).toBe(true)
  })

  it('staging refuses a challenge that skipped a policy criterion, naming it; --force does not help', () => {
    const evaluated = challenge([
      {criterion: 'totalTrades >= 1', window: 'in-sample'},
      {criterion: 'maxDrawdown < 0.2', window: 'in-sample'},
    ])
    const plan = planPromotion(registry(version(1, 'registered')), request({version: 1, force: true, reason: 'x'}), evaluated)
    expect(plan.allowed).toBe(false)
    expect(plan.refusals).toEqual([
      expect.objectContaining({gate: 'challenge', overridable: false, message: expect.stringContaining('"totalTrades >= 30" (gates.challenge.criteria)')}),
    ])
    expect(plan.refusals[0]!.message).not.toContain('maxDrawdown')
  })

  it('staging passes when every policy criterion was evaluated in-sample and passed', () => {
    const evaluated = challenge([
      {criterion: 'totalTrades >= 30', window: 'in-sample'},
      {criterion: 'maxDrawdown < 0.25', window: 'in-sample'},
    ])
    expect(planPromotion(registry(version(1, 'registered')), request({version: 1}), evaluated).allowed).toBe(true)
  })
})

describe('the shadow gate at promotion', () => {
  const staged = (tags: Record<string, string> = shadowTags) => registry(version(1, 'staged', tags), {staging: 1})
  const refusal = (plan: ReturnType<typeof planPromotion>) => plan.refusals.map((r) => `${r.gate}: ${r.message}`).join('\n')

  it('passes with a report of this code meeting gates.shadow', () => {
    expect(planPromotion(staged(), request({action: 'promote'}), challenge([]), shadow()).allowed).toBe(true)
  })

  it('refuses without a report, with one of other code, with a run that disagrees, or failing the policy of the day', () => {
    expect(refusal(planPromotion(staged({}), request({action: 'promote'}), challenge([]), null))).toMatch(/shadow: v1 has no shadow-trading report/)
    expect(refusal(planPromotion(staged({...shadowTags, 'tradai.shadow.code_hash': OTHER}), request({action: 'promote'}), challenge([]), shadow()))).toMatch(
      /was for other code \(hash bbbbbbbbbbbb/,
    )
    expect(refusal(planPromotion(staged(), request({action: 'promote'}), challenge([]), shadow({codeHash: OTHER})))).toMatch(/not a report of this version and code/)
    expect(refusal(planPromotion(staged(), request({action: 'promote'}), challenge([]), shadow({found: false})))).toMatch(/cannot be found in MLflow/)
    const unsigned = shadow({
      attestation: {...signed('shadow', 'sh1', 'passed'), verified: false, reason: 'no shadow attestation (a tag without a signed attestation is no evidence)'},
    })
    expect(refusal(planPromotion(staged(), request({action: 'promote'}), challenge([]), unsigned))).toMatch(/shadow report \(run sh1\) is no evidence: no shadow attestation/)
    const strict = request({action: 'promote', policy: {challengeCriteria: [], shadow: {...POLICY, maxProfitDrift: 0.05}}})
    expect(refusal(planPromotion(staged(), strict, challenge([]), shadow()))).toMatch(/does not meet gates.shadow: profitDrift <= maxProfitDrift \(0.1 vs 0.05\)/)
  })

  it('--force --reason overrides it (and only it)', () => {
    const plan = planPromotion(staged({}), request({action: 'promote', force: true, reason: 'reviewed'}), challenge([]), null)
    expect(plan.allowed).toBe(true)
    expect(plan.overridden.map((r) => r.gate)).toEqual(['shadow'])
  })
})

describe('shadow drift and gate', () => {
  const t = (pair: string, minute: number, openRate: number, closeRate: number, profitAbs: number) => ({
    pair,
    openTime: Date.UTC(2018, 0, 15, 0, minute),
    closeTime: Date.UTC(2018, 0, 15, 1, minute),
    openRate,
    closeRate,
    profitAbs,
    isShort: false,
  })

  it('matches by pair within one candle, measures slippage (positive = worse) and the unmatched', () => {
    const drift = computeDrift({
      shadow: [t('ETH/BTC', 5, 1.001, 1.019, 0.01), t('LTC/BTC', 40, 2, 2, 0)],
      backtest: [t('ETH/BTC', 5, 1, 1.02, 0.012), t('ETH/BTC', 200, 1, 1, 0), t('LTC/BTC', 30, 2, 2, 0)],
      timeframeMs: 300_000,
      shadowProfit: 0.01,
      backtestProfit: 0.012,
      shadowDrawdown: 0.02,
      backtestDrawdown: 0.01,
      profitDriftFloor: 0.01,
      cancelledOrders: 1,
    })
    expect(drift.matched).toHaveLength(1)
    expect(drift.matched[0]!.entrySlippageBps).toBeCloseTo(10)
    expect(drift.matched[0]!.exitSlippageBps).toBeCloseTo(9.8039, 3)
    expect(drift.backtestOnly.map((trade) => trade.pair)).toEqual(['LTC/BTC', 'ETH/BTC'])
    expect(drift.shadowOnly.map((trade) => trade.pair)).toEqual(['LTC/BTC'])
    expect(drift.matchRate).toBeCloseTo(1 / 3)
    expect(drift.profitDrift).toBeCloseTo(0.002 / 0.012)
    expect(drift.drawdownDelta).toBeCloseTo(0.01)
  })

  it('the floor keeps a near-zero backtest profit from inflating the drift', () => {
    const drift = computeDrift({
      shadow: [],
      backtest: [],
      timeframeMs: 300_000,
      shadowProfit: -0.001,
      backtestProfit: 0.0001,
      shadowDrawdown: 0,
      backtestDrawdown: 0,
      profitDriftFloor: 0.01,
      cancelledOrders: 0,
    })
    expect(drift.profitDrift).toBeCloseTo(0.11)
    expect(drift.matchRate).toBe(1)
  })

  it('names each failing check', () => {
    const gate = evaluateShadowGate(POLICY, {completed: false, days: 1, trades: 3, matchRate: 0.6, profitDrift: 0.1, maxDrawdown: 0.3})
    expect(gate.passed).toBe(false)
    expect(gate.checks.filter((check) => !check.passed).map((check) => check.check)).toEqual(['session completed its window', 'days >= minDays', 'maxDrawdown <= maxDrawdown'])
  })
})
