import {describe, expect, it} from 'vitest'

import {UsageError} from '../../src/core/errors.js'
import type {EvidenceCheck} from '../../src/core/attestation/evidence.js'
import {planPromotion, type PromotionRequest, type VersionEvidence} from '../../src/core/promotion/plan.js'
import {productionStack, type AuditEntry} from '../../src/core/registry/audit.js'
import type {RegistryState, RegistryVersion} from '../../src/core/registry/state.js'

const HASH = 'a'.repeat(64)
const OTHER = 'b'.repeat(64)

function version(number: number, state: RegistryVersion['state'], tags: Record<string, string> = {}, codeHash = HASH): RegistryVersion {
  return {
    version: number,
    state,
    codeHash,
    runId: `reg${number}`,
    source: null,
    createdAt: null,
    aliases: [],
    tags: {'tradai.state': state, 'tradai.code_hash': codeHash, 'tradai.lint.status': 'passed', 'tradai.lint.run_id': `reg${number}`, ...tags},
  }
}

const passed = (number: number, hash = HASH) => ({
  'tradai.challenge.status': 'passed',
  'tradai.challenge.run_id': `ch${number}`,
  'tradai.challenge.code_hash': hash,
})
const check = (kind: EvidenceCheck['kind'], runId: string, status: string): EvidenceCheck => ({
  kind,
  verified: true,
  reason: null,
  ref: `runs:/${runId}/attestations/${kind}.json`,
  runId,
  status,
  at: '2026-01-01T00:00:00.000Z',
  who: 'ci',
  policy: null,
})
const invalid = (kind: EvidenceCheck['kind'], reason: string, ref: string | null = 'runs:/x/attestations/x.json'): EvidenceCheck => ({
  kind,
  verified: false,
  reason,
  ref,
  runId: null,
  status: null,
  at: null,
  who: null,
  policy: null,
})
/** Verified evidence of a passing lint and challenge of v`number`, with overrides. */
const evidence = (number: number, overrides: Partial<VersionEvidence> = {}): VersionEvidence => ({
  registration: check('registration', `reg${number}`, 'registered'),
  code: {verified: true, attestedHash: HASH, registryHash: HASH, reason: null},
  lint: check('lint', `reg${number}`, 'passed'),
  challenge: check('challenge', `ch${number}`, 'passed'),
  ...overrides,
})

function state(versions: RegistryVersion[], aliases: Partial<RegistryState['aliases']> = {}, audit: AuditEntry[] = []): RegistryState {
  return {model: 'S', aliases: {staging: null, production: null, ...aliases}, versions, audit, lock: null}
}

const request = (overrides: Partial<PromotionRequest>): PromotionRequest => ({action: 'stage', force: false, who: 'ana', at: '2026-01-01T00:00:00.000Z', ...overrides})
const gates = (plan: ReturnType<typeof planPromotion>) => plan.refusals.map((refusal) => refusal.gate)

describe('planPromotion: to staged', () => {
  it('plans alias, state tags and an audit entry for a challenged version', () => {
    const plan = planPromotion(state([version(1, 'registered', passed(1))]), request({version: 1}), evidence(1))
    expect(plan.allowed).toBe(true)
    expect(plan.refusals).toEqual([])
    expect(plan.steps.map((step) => step.kind)).toEqual(['set-alias', 'set-version-tags', 'audit'])
    expect(plan.steps[0]).toMatchObject({alias: 'staging', version: 1, expected: null})
    const audit = plan.steps.at(-1)
    expect(audit?.kind === 'audit' && audit.entry).toMatchObject({
      id: 1,
      who: 'ana',
      action: 'stage',
      from: 'registered',
      to: 'staged',
      evidence: {challengeRunId: 'ch1', lintRunId: 'reg1'},
    })
  })

  it('refuses an unchallenged version, and --force does not override it', () => {
    const plan = planPromotion(
      state([version(1, 'registered')]),
      request({version: 1, force: true, reason: 'hurry'}),
      evidence(1, {challenge: invalid('challenge', 'no challenge attestation', null)}),
    )
    expect(plan.allowed).toBe(false)
    expect(gates(plan)).toEqual(['challenge'])
    expect(plan.refusals[0]!.message).toMatch(/not been challenged/)
    expect(plan.steps).toEqual([])
  })

  it('refuses a failed challenge (the signed status, whatever the tags say)', () => {
    const plan = planPromotion(state([version(1, 'registered', passed(1))]), request({version: 1}), evidence(1, {challenge: check('challenge', 'ch1', 'failed')}))
    expect(gates(plan)).toEqual(['challenge'])
    expect(plan.refusals[0]!.message).toMatch(/challenge failed/)
  })

  it('refuses passing challenge tags without a valid attestation (copied tags, another version or code)', () => {
    const plan = planPromotion(
      state([version(2, 'registered', passed(1, OTHER))]),
      request({version: 2}),
      evidence(2, {challenge: invalid('challenge', 'the challenge attestation is not valid: it is for v1, not v2')}),
    )
    expect(gates(plan)).toEqual(['challenge'])
    expect(plan.refusals[0]!.message).toMatch(/no evidence: the challenge attestation is not valid: it is for v1, not v2/)
  })

  it('refuses when nothing was verified', () => {
    expect(gates(planPromotion(state([version(1, 'registered', passed(1))]), request({version: 1}), null))).toEqual(['registration', 'lint', 'challenge'])
  })

  it('refuses a version whose registration is not attested, or whose registry code changed after it was validated', () => {
    const forged = evidence(1, {registration: invalid('registration', 'no registration attestation')})
    expect(gates(planPromotion(state([version(1, 'registered', passed(1))]), request({version: 1}), forged))).toEqual(['registration'])
    const changed = evidence(1, {code: {verified: false, attestedHash: HASH, registryHash: OTHER, reason: 'the registered code changed after it was validated: ...'}})
    const plan = planPromotion(state([version(1, 'registered', passed(1))]), request({version: 1, force: true, reason: 'x'}), changed)
    expect(gates(plan)).toEqual(['code'])
    expect(plan.allowed).toBe(false)
    expect(plan.refusals[0]!.message).toMatch(/the registered code changed after it was validated/)
  })

  it('refuses a version without a verified passing lint', () => {
    const v = version(1, 'registered', passed(1))
    expect(gates(planPromotion(state([v]), request({version: 1}), evidence(1, {lint: invalid('lint', 'no lint attestation')})))).toEqual(['lint'])
    expect(gates(planPromotion(state([v]), request({version: 1}), evidence(1, {lint: check('lint', 'reg1', 'failed')})))).toEqual(['lint'])
  })

  it('puts a displaced staged version back to registered', () => {
    const plan = planPromotion(state([version(1, 'staged', passed(1)), version(2, 'registered', passed(2))], {staging: 1}), request({version: 2}), evidence(2))
    expect(plan.allowed).toBe(true)
    expect(plan.steps[0]).toMatchObject({kind: 'set-alias', alias: 'staging', version: 2, expected: 1})
    expect(plan.steps).toContainEqual(expect.objectContaining({kind: 'set-version-tags', version: 1, tags: expect.objectContaining({'tradai.state': 'registered'})}))
  })

  it('is a no-op when the version is already staged', () => {
    const plan = planPromotion(state([version(1, 'staged', passed(1))], {staging: 1}), request({version: 1}), evidence(1))
    expect(plan).toMatchObject({noop: true, allowed: true, steps: []})
  })

  it('--force without --reason is a usage error', () => {
    expect(() => planPromotion(state([version(1, 'registered', passed(1))]), request({force: true}), evidence(1))).toThrow(UsageError)
  })
})

describe('planPromotion: to promoted', () => {
  const staged = () => state([version(1, 'promoted', passed(1)), version(2, 'staged', passed(2))], {staging: 2, production: 1})

  it('refuses without shadow evidence, overridably', () => {
    const plan = planPromotion(staged(), request({action: 'promote'}), evidence(2))
    expect(plan.version).toBe(2)
    expect(plan.allowed).toBe(false)
    expect(plan.refusals).toEqual([expect.objectContaining({gate: 'shadow', overridable: true})])
  })

  it('--force --reason overrides the shadow gate, archives the old production and records the override', () => {
    const plan = planPromotion(staged(), request({action: 'promote', force: true, reason: 'reviewed'}), evidence(2))
    expect(plan.allowed).toBe(true)
    expect(plan.overridden.map((refusal) => refusal.gate)).toEqual(['shadow'])
    expect(plan.steps[0]).toMatchObject({kind: 'set-alias', alias: 'production', version: 2, expected: 1})
    expect(plan.steps[1]).toMatchObject({kind: 'delete-alias', alias: 'staging', expected: 2})
    expect(plan.steps).toContainEqual(
      expect.objectContaining({
        kind: 'set-version-tags',
        version: 2,
        tags: expect.objectContaining({'tradai.state': 'promoted', 'tradai.promotion.forced': 'shadow', 'tradai.promotion.force_reason': 'reviewed'}),
      }),
    )
    expect(plan.steps).toContainEqual(expect.objectContaining({kind: 'set-version-tags', version: 1, tags: expect.objectContaining({'tradai.state': 'archived'})}))
    const audit = plan.steps.at(-1)
    expect(audit?.kind === 'audit' && audit.entry).toMatchObject({forced: true, overriddenGates: ['shadow'], reason: 'reviewed', aliasBefore: 1, archived: [1]})
  })

  it('passes with a signed shadow report whose run agrees', () => {
    const s = staged()
    Object.assign(s.versions[1]!.tags, {'tradai.shadow.status': 'passed', 'tradai.shadow.run_id': 'sh2', 'tradai.shadow.code_hash': HASH})
    const shadow = {runId: 'sh2', found: true, status: 'passed', codeHash: HASH, model: 'S', version: '2', measured: {}, attestation: check('shadow', 'sh2', 'passed')}
    expect(planPromotion(s, request({action: 'promote'}), evidence(2), shadow).allowed).toBe(true)
  })

  it('refuses a version that is not staged, even with --force', () => {
    const plan = planPromotion(state([version(1, 'registered', passed(1))]), request({action: 'promote', version: 1, force: true, reason: 'x'}), evidence(1))
    expect(plan.allowed).toBe(false)
    expect(gates(plan)).toEqual(['state', 'shadow'])
  })

  it('an unknown version is not found (exit 5)', () => {
    expect(() => planPromotion(staged(), request({action: 'promote', version: 9}), null)).toThrow(expect.objectContaining({exitCode: 5}))
  })
})

const entry = (id: number, action: AuditEntry['action'], version: number, aliasBefore: number | null): AuditEntry => ({
  id,
  at: '2026-01-01T00:00:00Z',
  who: 'ana',
  action,
  model: 'S',
  version,
  from: 'staged',
  to: 'promoted',
  alias: 'production',
  aliasBefore,
  archived: [],
  reason: null,
  forced: false,
  overriddenGates: [],
  codeHash: HASH,
  evidence: {lintRunId: null, challengeRunId: null, shadowRunId: null},
})

describe('rollback', () => {
  it('production history is a stack: promotions push, rollbacks pop', () => {
    expect(productionStack([entry(1, 'promote', 1, null), entry(2, 'promote', 2, 1), entry(3, 'promote', 3, 2)])).toEqual([1, 2, 3])
    expect(productionStack([entry(1, 'promote', 1, null), entry(2, 'promote', 2, 1), entry(3, 'promote', 3, 2), entry(4, 'rollback', 2, 3)])).toEqual([1, 2])
    expect(productionStack([entry(1, 'promote', 2, 1)])).toEqual([1, 2])
  })

  it('plans production back to the previous version and archives the current one', () => {
    const s = state([version(1, 'archived'), version(2, 'promoted')], {production: 2}, [entry(1, 'promote', 1, null), entry(2, 'promote', 2, 1)])
    const plan = planPromotion(s, request({action: 'rollback', reason: 'slippage'}))
    expect(plan.allowed).toBe(true)
    expect(plan.version).toBe(1)
    expect(plan.steps[0]).toMatchObject({kind: 'set-alias', alias: 'production', version: 1, expected: 2})
    expect(plan.steps).toContainEqual(expect.objectContaining({kind: 'set-version-tags', version: 2, tags: expect.objectContaining({'tradai.state': 'archived'})}))
    const audit = plan.steps.at(-1)
    expect(audit?.kind === 'audit' && audit.entry).toMatchObject({id: 3, action: 'rollback', version: 1, aliasBefore: 2, archived: [2], reason: 'slippage'})
  })

  it('refuses with nothing to roll back to, or a production tradai did not set', () => {
    expect(gates(planPromotion(state([version(1, 'promoted')], {production: 1}, [entry(1, 'promote', 1, null)]), request({action: 'rollback'})))).toEqual(['rollback'])
    expect(gates(planPromotion(state([version(1, 'registered')]), request({action: 'rollback'})))).toEqual(['rollback'])
    const foreign = state([version(1, 'archived'), version(2, 'promoted'), version(3, 'registered')], {production: 3}, [entry(1, 'promote', 1, null), entry(2, 'promote', 2, 1)])
    expect(planPromotion(foreign, request({action: 'rollback'})).refusals[0]!.message).toMatch(/did not put there/)
  })
})

describe('alias drift against the audit log', () => {
  it('replays the audit to the expected aliases and reports an alias moved by hand', async () => {
    const {aliasDrift, expectedAliases} = await import('../../src/core/registry/drift.js')
    const log = [entry(1, 'stage', 1, null), entry(2, 'promote', 1, null), entry(3, 'stage', 2, null)]
    log[0]!.alias = 'staging'
    log[2]!.alias = 'staging'
    expect(expectedAliases(log)).toEqual({staging: 2, production: 1})
    expect(aliasDrift({staging: 2, production: 1}, log)).toEqual([])
    expect(aliasDrift({staging: 2, production: 2}, log)).toEqual([{alias: 'production', actual: 2, expected: 1}])
    expect(aliasDrift({staging: 5, production: 1}, [])).toEqual([])
  })
})
