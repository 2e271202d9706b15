import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {beforeEach, describe, expect, it} from 'vitest'

import {CheckFailedError, TrackingError, UsageError} from '../../src/core/errors.js'
import type {CoreContext} from '../../src/core/events.js'
import {GateRefusedError, promoteStrategy, type PromoteRequest} from '../../src/core/promotion/promote.js'
import {registerStrategy, type RegisterRequest} from '../../src/core/registry/register.js'
import {tagMap, VERSION_TAG} from '../../src/core/registry/tags.js'
import type {ResultOf} from '../../src/core/ports/engine.js'
import {FakeEngine} from '../fakes/engine.js'
import {FakeRegistry} from '../fakes/registry.js'

// Core's lifecycle (register → challenge evidence → stage → promote, and every gate that refuses)
// on the fakes: no engine, no MLflow, no dist/. The e2e lifecycle test runs the same on real ones.

const ctx = (): CoreContext => ({signal: new AbortController().signal, onEvent: () => {}})
const MODEL = 'FakeRsi'

function strategyDir(code = 'class FakeRsi: pass\n') {
  const dir = mkdtempSync(path.join(tmpdir(), 'tradai-fakes-'))
  const file = path.join(dir, 'fake_rsi.py')
  writeFileSync(file, code)
  return {dir, file}
}

function shown(file: string): ResultOf<'strategy-show'> {
  return {
    name: MODEL,
    className: MODEL,
    file,
    baseClass: 'TradAIStrategy',
    metadata: {name: MODEL, version: '1.0.0', description: 'fake', author: 'tests', tags: [], timeframe: '5m', exchange: 'binance', tradingMode: 'spot', defaultPairs: ['ETH/BTC']},
    timeframe: '5m',
    minimalRoi: {'0': 0.1},
    stoploss: -0.1,
    trailing: {trailingStop: false, trailingStopPositive: null, trailingStopPositiveOffset: 0, trailingOnlyOffsetIsReached: false},
    startupCandleCount: 20,
    canShort: false,
    interfaceVersion: 3,
    parameters: [],
    paramsFile: null,
  }
}

function engineFor(file: string, findings: ResultOf<'lint'>['findings'] = []) {
  return new FakeEngine({
    'strategy-show': () => shown(file),
    lint: {findings, strategies: [{name: MODEL, className: MODEL, file, line: 1, baseClass: 'TradAIStrategy'}], rules: []},
  })
}

function registerRequest(dir: string): RegisterRequest {
  return {
    name: MODEL,
    strategiesDir: dir,
    userDataDir: dir,
    experiment: {experimentName: '{strategy}', experimentPrefix: 'tradai'},
    context: {user: 'tester', host: 'h', tradaiVersion: '0.0.0-test', ci: {}},
    secrets: [],
    config: {},
  }
}

function promoteRequest(action: PromoteRequest['action'], extra: Partial<PromoteRequest> = {}): PromoteRequest {
  return {
    model: MODEL,
    action,
    force: false,
    who: 'tester',
    at: '2026-12-01T00:00:00Z',
    dryRun: false,
    experiment: {experimentName: '{strategy}', experimentPrefix: 'tradai'},
    ...extra,
  }
}

/** What `strategy challenge` records (run-challenge.ts recordChallenge): a run saying so, then the version's tags. */
async function recordChallenge(port: FakeRegistry, version: number, options: {status?: string; codeHash?: string; runSays?: Partial<Record<string, string>>} = {}) {
  const model = await port.getModelVersion(MODEL, String(version))
  const codeHash = options.codeHash ?? tagMap(model.tags)[VERSION_TAG.codeHash]!
  const status = options.status ?? 'passed'
  const experimentId = await port.ensureExperiment(`tradai-${MODEL}`)
  const runTags = {
    'tradai.kind': 'challenge',
    'tradai.model': MODEL,
    'tradai.model_version': String(version),
    [VERSION_TAG.challengeStatus]: status,
    [VERSION_TAG.codeHash]: codeHash,
    ...options.runSays,
  }
  const run = await port.createRun({experimentId, startTime: Date.now(), tags: Object.entries(runTags).map(([key, value]) => ({key, value: value!}))})
  await port.setModelVersionTag(MODEL, String(version), VERSION_TAG.challengeRunId, run.info.run_id)
  await port.setModelVersionTag(MODEL, String(version), VERSION_TAG.challengeCodeHash, codeHash)
  await port.setModelVersionTag(MODEL, String(version), VERSION_TAG.challengeStatus, status)
  return run.info.run_id
}

async function refusal(promise: Promise<unknown>): Promise<{gates: string[]; message: string}> {
  const error = await promise.then(
    () => undefined,
    (error_: unknown) => error_,
  )
  expect(error).toBeInstanceOf(GateRefusedError)
  const refused = error as GateRefusedError
  const refusals = (refused.details as {refusals: Array<{gate: string}>}).refusals
  return {gates: refusals.map((entry) => entry.gate), message: refused.message}
}

describe('register on the fakes', () => {
  it('registers once per code hash: the same code returns the same version, changed code a new one', async () => {
    const port = new FakeRegistry()
    const {dir, file} = strategyDir()
    const first = await registerStrategy(registerRequest(dir), engineFor(file), port, ctx())
    expect(first).toMatchObject({version: 1, created: true, state: 'registered'})
    const again = await registerStrategy(registerRequest(dir), engineFor(file), port, ctx())
    expect(again).toMatchObject({version: 1, created: false, codeHash: first.codeHash, runId: first.runId})
    writeFileSync(file, 'class FakeRsi: x = 2\n')
    const changed = await registerStrategy(registerRequest(dir), engineFor(file), port, ctx())
    expect(changed).toMatchObject({version: 2, created: true})
    expect(changed.codeHash).not.toBe(first.codeHash)

    const version = await port.getModelVersion(MODEL, '1')
    const tags = tagMap(version.tags)
    expect(tags[VERSION_TAG.state]).toBe('registered')
    expect(tags[VERSION_TAG.codeHash]).toBe(first.codeHash)
    expect(tags[VERSION_TAG.lintStatus]).toBe('passed')
    expect(version.source).toBe(`${(await port.getRun(first.runId)).info.artifact_uri}/strategy`)
    const run = await port.getRun(first.runId)
    expect(run.info.status).toBe('FINISHED')
    expect((await port.downloadArtifact(run.info, 'strategy/fake_rsi.py')).toString()).toBe('class FakeRsi: pass\n')
  })

  it('a lint error registers nothing (exit 1)', async () => {
    const port = new FakeRegistry()
    const {dir, file} = strategyDir()
    const finding = {ruleId: 'TRD101', severity: 'error' as const, file, line: 3, column: 1, message: 'shift(-1) looks ahead', fix: 'shift(1)', strategy: MODEL}
    await expect(registerStrategy(registerRequest(dir), engineFor(file, [finding]), port, ctx())).rejects.toBeInstanceOf(CheckFailedError)
    expect(port.models.size).toBe(0)
    expect(port.runs.size).toBe(0)
  })
})

describe('promote on the fakes: every gate', () => {
  let port: FakeRegistry
  let codeHash: string
  beforeEach(async () => {
    port = new FakeRegistry()
    const {dir, file} = strategyDir()
    codeHash = (await registerStrategy(registerRequest(dir), engineFor(file), port, ctx())).codeHash
  })

  it('challenge gate: a version never challenged cannot be staged', async () => {
    const {gates, message} = await refusal(promoteStrategy(promoteRequest('stage'), port, ctx()))
    expect(gates).toEqual(['challenge'])
    expect(message).toContain('has not been challenged')
  })

  it('challenge gate: a failed challenge refuses', async () => {
    await recordChallenge(port, 1, {status: 'failed'})
    expect((await refusal(promoteStrategy(promoteRequest('stage'), port, ctx()))).message).toContain('challenge failed')
  })

  it('challenge gate: a passing challenge of other code refuses', async () => {
    await recordChallenge(port, 1, {codeHash: 'f'.repeat(64)})
    expect((await refusal(promoteStrategy(promoteRequest('stage'), port, ctx()))).message).toContain('was for other code')
  })

  it('challenge gate: the evidence run must exist and agree with the version tags', async () => {
    const runId = await recordChallenge(port, 1)
    port.runs.delete(runId)
    expect((await refusal(promoteStrategy(promoteRequest('stage'), port, ctx()))).message).toContain('cannot be found in MLflow')
    await recordChallenge(port, 1, {runSays: {'tradai.model_version': '7'}})
    expect((await refusal(promoteStrategy(promoteRequest('stage'), port, ctx()))).message).toContain('does not show a passing challenge')
  })

  it('lint gate: a version without a passing lint refuses, and --force does not override it', async () => {
    await recordChallenge(port, 1)
    await port.setModelVersionTag(MODEL, '1', VERSION_TAG.lintStatus, 'failed')
    const {gates} = await refusal(promoteStrategy(promoteRequest('stage', {force: true, reason: 'try'}), port, ctx()))
    expect(gates).toEqual(['lint'])
  })

  it('stage → promote: state gate, shadow gate, --force --reason, then the stage gate on the production version', async () => {
    await recordChallenge(port, 1)
    // Not staged yet: promote refuses on state (and shadow).
    expect((await refusal(promoteStrategy(promoteRequest('promote', {version: 1}), port, ctx()))).gates).toEqual(['state', 'shadow'])

    const staged = await promoteStrategy(promoteRequest('stage'), port, ctx())
    expect(staged).toMatchObject({applied: true, version: 1, from: 'registered', to: 'staged', aliases: {staging: 1, production: null}})
    expect(tagMap((await port.getModelVersion(MODEL, '1')).tags)[VERSION_TAG.state]).toBe('staged')
    // Staging again is a no-op.
    expect(await promoteStrategy(promoteRequest('stage'), port, ctx())).toMatchObject({noop: true, applied: false})

    const shadow = await refusal(promoteStrategy(promoteRequest('promote'), port, ctx()))
    expect(shadow.gates).toEqual(['shadow'])
    await expect(promoteStrategy(promoteRequest('promote', {force: true}), port, ctx())).rejects.toBeInstanceOf(UsageError)

    const promoted = await promoteStrategy(promoteRequest('promote', {force: true, reason: 'no shadow trading yet'}), port, ctx())
    expect(promoted).toMatchObject({applied: true, to: 'promoted', overriddenGates: ['shadow'], aliases: {staging: null, production: 1}})
    const tags = tagMap((await port.getModelVersion(MODEL, '1')).tags)
    expect(tags[VERSION_TAG.state]).toBe('promoted')
    expect(tags[VERSION_TAG.forceReason]).toBe('no shadow trading yet')
    expect(tags[VERSION_TAG.codeHash]).toBe(codeHash)

    const {gates} = await refusal(promoteStrategy(promoteRequest('stage', {version: 1}), port, ctx()))
    expect(gates).toContain('state')
  })

  it('rollback gate: nothing to roll back to', async () => {
    expect((await refusal(promoteStrategy(promoteRequest('rollback'), port, ctx()))).message).toContain('no production version')
  })

  it('a dry run plans and changes nothing', async () => {
    await recordChallenge(port, 1)
    const before = port.calls.length
    const plan = await promoteStrategy(promoteRequest('stage', {dryRun: true}), port, ctx())
    expect(plan).toMatchObject({dryRun: true, applied: false})
    expect(plan.steps.length).toBeGreaterThan(0)
    const writes = port.calls.slice(before).filter((call) => /^(set|delete|create|update|log|upload|ensure)/.test(call))
    expect(writes).toEqual([])
    expect((await port.getRegisteredModel(MODEL)).aliases).toEqual([])
  })

  it('a registry that fails mid-promotion is a TrackingError, not a half-applied success', async () => {
    await recordChallenge(port, 1)
    port.failing.set('setModelAlias', new TrackingError('MLflow: 503 Service Unavailable'))
    await expect(promoteStrategy(promoteRequest('stage'), port, ctx())).rejects.toBeInstanceOf(TrackingError)
    expect((await port.getRegisteredModel(MODEL)).aliases).toEqual([])
  })
})
