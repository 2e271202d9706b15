import {randomBytes} from 'node:crypto'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {beforeEach, describe, expect, it} from 'vitest'

import {attest, digestOf, recordAttestation, type GateKey} from '../../src/core/attestation/index.js'
import {parseCriterion} from '../../src/core/challenge/criteria.js'
import {runChallenge, type ChallengeRequest} from '../../src/core/challenge/run-challenge.js'
import {DEFAULTS} from '../../src/core/config/schema.js'
import {CheckFailedError} from '../../src/core/errors.js'
import type {CoreContext} from '../../src/core/events.js'
import type {ResultOf} from '../../src/core/ports/engine.js'
import {GateRefusedError, promoteStrategy, type PromoteRequest} from '../../src/core/promotion/promote.js'
import type {PromotionPolicy} from '../../src/core/promotion/plan.js'
import {registerStrategy, type RegisterRequest} from '../../src/core/registry/register.js'
import {tagMap, VERSION_TAG} from '../../src/core/registry/tags.js'
import {fakeBacktest, SAMPLE_CLASS, SAMPLE_TRADES} from '../fakes/backtest.js'
import {FakeEngine} from '../fakes/engine.js'
import {FakeRegistry} from '../fakes/registry.js'

// Core's lifecycle on the fakes, in seconds: register (signed registration and lint), challenge
// (a backtest read from Freqtrade's real stats file, the result signed), stage and promote, and
// every gate that refuses. test/e2e/lifecycle.test.ts and trust-gates.test.ts do the same on a
// real engine and a real MLflow server.

const MODEL = SAMPLE_CLASS
const ctx = (): CoreContext => ({signal: new AbortController().signal, onEvent: () => {}})
const key = (secret = randomBytes(32)): GateKey => ({secret, id: digestOf(secret).slice(0, 16), source: 'env', file: null})
const experiment = {experimentName: '{strategy}', experimentPrefix: 'tradai'}
const context = {user: 'tester', host: 'h', tradaiVersion: '0.0.0-test', ci: {}}

function strategyFolder(code = 'class SampleRsiStrategy: pass\n') {
  const dir = mkdtempSync(path.join(tmpdir(), 'tradai-fakes-'))
  const file = path.join(dir, 'sample_rsi_strategy.py')
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
    configFile: null,
  }
}

function engineFor(file: string, findings: ResultOf<'lint'>['findings'] = []) {
  return new FakeEngine({
    'strategy-show': () => shown(file),
    lint: {findings, strategies: [{name: MODEL, className: MODEL, file, line: 1, baseClass: 'TradAIStrategy'}], rules: []},
    backtest: fakeBacktest,
  })
}

const registerRequest = (dir: string, gateKey: GateKey): RegisterRequest => ({
  name: MODEL,
  strategiesDir: dir,
  userDataDir: dir,
  experiment,
  context,
  secrets: [],
  config: {},
  gateKey,
})

function challengeRequest(gateKey: GateKey, criteria: string[], version?: number): ChallengeRequest {
  return {
    model: MODEL,
    ...(version === undefined ? {} : {version}),
    criteria: criteria.map((text) => parseCriterion(text, '--criterion')),
    productionMetric: 'profitTotal',
    data: {
      userDataDir: mkdtempSync(path.join(tmpdir(), 'tradai-fakes-ud-')),
      outputDir: mkdtempSync(path.join(tmpdir(), 'tradai-fakes-out-')),
      pairs: ['ETH/BTC'],
      timerange: '20180110-20180114',
    },
    experiment,
    context,
    secrets: [],
    gateKey,
  }
}

const policy = (criteria = ['totalTrades >= 1']): PromotionPolicy => ({
  challengeCriteria: criteria.map((text) => parseCriterion(text, 'gates.challenge.criteria')),
  shadow: {
    minDays: DEFAULTS['gates.shadow.minDays'],
    minTrades: DEFAULTS['gates.shadow.minTrades'],
    minMatchRate: DEFAULTS['gates.shadow.minMatchRate'],
    maxProfitDrift: DEFAULTS['gates.shadow.maxProfitDrift'],
    profitDriftFloor: DEFAULTS['gates.shadow.profitDriftFloor'],
    maxDrawdown: DEFAULTS['gates.shadow.maxDrawdown'],
  },
})

const promoteRequest = (action: PromoteRequest['action'], gateKey: GateKey | null, extra: Partial<PromoteRequest> = {}): PromoteRequest => ({
  model: MODEL,
  action,
  force: false,
  who: 'tester',
  at: '2026-12-01T00:00:00Z',
  dryRun: false,
  experiment,
  gateKey,
  policy: policy(),
  ...extra,
})

/** The gates a promotion refused with, and its message (GateRefusedError is exit 1). */
async function refusal(promise: Promise<unknown>): Promise<{gates: string[]; message: string}> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  )
  expect(error).toBeInstanceOf(GateRefusedError)
  const refused = error as GateRefusedError
  expect(refused.exitCode).toBe(1)
  return {gates: (refused.details as {refusals: Array<{gate: string}>}).refusals.map((entry) => entry.gate), message: refused.message}
}

describe('register on the fakes', () => {
  it('registers once per code hash, signed: the same code returns the same version, changed code a new one', async () => {
    const port = new FakeRegistry()
    const gateKey = key()
    const {dir, file} = strategyFolder()
    const first = await registerStrategy(registerRequest(dir, gateKey), engineFor(file), port, ctx())
    expect(first).toMatchObject({version: 1, created: true, state: 'registered'})
    const again = await registerStrategy(registerRequest(dir, gateKey), engineFor(file), port, ctx())
    expect(again).toMatchObject({version: 1, created: false, codeHash: first.codeHash})
    writeFileSync(file, 'class SampleRsiStrategy: x = 2\n')
    const changed = await registerStrategy(registerRequest(dir, gateKey), engineFor(file), port, ctx())
    expect(changed).toMatchObject({version: 2, created: true})
    expect(changed.codeHash).not.toBe(first.codeHash)

    const tags = tagMap((await port.getModelVersion(MODEL, '1')).tags)
    expect(tags[VERSION_TAG.state]).toBe('registered')
    expect(tags[VERSION_TAG.codeHash]).toBe(first.codeHash)
    expect(tags['tradai.attestation.registration']).toBeTruthy()
    expect(tags['tradai.attestation.lint']).toBeTruthy()
  })

  it('a lint error registers nothing (exit 1)', async () => {
    const port = new FakeRegistry()
    const {dir, file} = strategyFolder()
    const finding = {ruleId: 'TRD101', severity: 'error' as const, file, line: 3, column: 1, message: 'shift(-1) looks ahead', fix: 'shift(1)', strategy: MODEL}
    await expect(registerStrategy(registerRequest(dir, key()), engineFor(file, [finding]), port, ctx())).rejects.toBeInstanceOf(CheckFailedError)
    expect(port.models.size).toBe(0)
  })
})

describe('challenge, stage and promote on the fakes: every gate', () => {
  let port: FakeRegistry
  let gateKey: GateKey
  let engine: FakeEngine
  let folder: {dir: string; file: string}

  beforeEach(async () => {
    port = new FakeRegistry()
    gateKey = key()
    folder = strategyFolder()
    engine = engineFor(folder.file)
    await registerStrategy(registerRequest(folder.dir, gateKey), engine, port, ctx())
  })

  it('a challenge backtests the registered code and signs its verdict; stage then passes every gate', async () => {
    const report = await runChallenge(challengeRequest(gateKey, ['totalTrades >= 1']), engine, port, ctx())
    expect(report).toMatchObject({version: 1, status: 'passed', passed: true})
    expect(report.backtest.metrics.totalTrades).toBe(SAMPLE_TRADES)
    // The backtest ran on the code downloaded from the registry, not the working folder.
    const sent = engine.requests('backtest')[0]!
    expect(sent.strategyPath).not.toBe(folder.dir)
    const tags = tagMap((await port.getModelVersion(MODEL, '1')).tags)
    expect(tags[VERSION_TAG.challengeStatus]).toBe('passed')
    expect(tags['tradai.attestation.challenge']).toBeTruthy()

    const staged = await promoteStrategy(promoteRequest('stage', gateKey), port, ctx())
    expect(staged).toMatchObject({applied: true, to: 'staged', version: 1})
    expect(staged.evidence.map((check) => [check.kind, check.verified])).toEqual([
      ['registration', true],
      ['lint', true],
      ['challenge', true],
    ])
    expect(tagMap((await port.getModelVersion(MODEL, '1')).tags)[VERSION_TAG.state]).toBe('staged')
  })

  it('no challenge: stage is refused', async () => {
    const {gates} = await refusal(promoteStrategy(promoteRequest('stage', gateKey), port, ctx()))
    expect(gates).toContain('challenge')
  })

  it('a failed challenge: stage is refused', async () => {
    const report = await runChallenge(challengeRequest(gateKey, ['totalTrades >= 1000']), engine, port, ctx())
    expect(report.status).toBe('failed')
    const {gates} = await refusal(promoteStrategy(promoteRequest('stage', gateKey), port, ctx()))
    expect(gates).toContain('challenge')
  })

  it('tags set by hand without an attestation are no evidence', async () => {
    await port.setModelVersionTag(MODEL, '1', VERSION_TAG.challengeStatus, 'passed')
    await port.setModelVersionTag(MODEL, '1', VERSION_TAG.challengeCodeHash, tagMap((await port.getModelVersion(MODEL, '1')).tags)[VERSION_TAG.codeHash]!)
    const {gates, message} = await refusal(promoteStrategy(promoteRequest('stage', gateKey), port, ctx()))
    expect(gates).toContain('challenge')
    expect(message).toMatch(/attest/i)
  })

  it('an attestation signed with another key is no evidence', async () => {
    await runChallenge(challengeRequest(gateKey, ['totalTrades >= 1']), engine, port, ctx())
    const {message} = await refusal(promoteStrategy(promoteRequest('stage', key()), port, ctx()))
    expect(message).toMatch(/signature|key/i)
  })

  it('an attestation for another code hash is no evidence', async () => {
    await runChallenge(challengeRequest(gateKey, ['totalTrades >= 1']), engine, port, ctx())
    const runId = tagMap((await port.getModelVersion(MODEL, '1')).tags)[VERSION_TAG.challengeRunId]!
    // A validly signed statement, but about other code: the gate compares it with the version.
    const forged = attest(
      {
        kind: 'challenge',
        model: MODEL,
        version: 1,
        codeHash: 'f'.repeat(64),
        runId,
        result: {status: 'passed', digest: null},
        policy: {criteria: ['totalTrades >= 1 [in-sample]']},
        at: '2026-12-01T00:00:00Z',
        who: 'mallory',
      },
      gateKey,
    )
    await recordAttestation(port, MODEL, forged)
    const {gates} = await refusal(promoteStrategy(promoteRequest('stage', gateKey), port, ctx()))
    expect(gates).toContain('challenge')
  })

  it('the registered code changed after the challenge: refused, and a new challenge is refused too', async () => {
    await runChallenge(challengeRequest(gateKey, ['totalTrades >= 1']), engine, port, ctx())
    const version = await port.getModelVersion(MODEL, '1')
    const run = await port.getRun(version.run_id!)
    const tampered = path.join(folder.dir, 'tampered.py')
    writeFileSync(tampered, 'class SampleRsiStrategy: always_win = True\n')
    await port.uploadArtifact(run.info, 'strategy/sample_rsi_strategy.py', tampered)

    const {message} = await refusal(promoteStrategy(promoteRequest('stage', gateKey), port, ctx()))
    expect(message).toContain('the registered code changed after it was validated')
    await expect(runChallenge(challengeRequest(gateKey, ['totalTrades >= 1']), engine, port, ctx())).rejects.toMatchObject({code: 'CODE_CHANGED', exitCode: 1})
  })

  it('policy comes from config: a challenge judged by looser criteria than gates.challenge.criteria is refused', async () => {
    await runChallenge(challengeRequest(gateKey, ['totalTrades >= 1']), engine, port, ctx())
    const {gates, message} = await refusal(promoteStrategy(promoteRequest('stage', gateKey, {policy: policy(['totalTrades >= 3'])}), port, ctx()))
    expect(gates).toContain('challenge')
    expect(message).toContain('totalTrades >= 3')
  })

  it('promote to production needs a shadow report: refused without one, and --force needs a reason', async () => {
    await runChallenge(challengeRequest(gateKey, ['totalTrades >= 1']), engine, port, ctx())
    await promoteStrategy(promoteRequest('stage', gateKey), port, ctx())
    const {gates} = await refusal(promoteStrategy(promoteRequest('promote', gateKey), port, ctx()))
    expect(gates).toContain('shadow')
    await expect(promoteStrategy(promoteRequest('promote', gateKey, {force: true}), port, ctx())).rejects.toMatchObject({exitCode: 2})
    const forced = await promoteStrategy(promoteRequest('promote', gateKey, {force: true, reason: 'paper trading done by hand'}), port, ctx())
    expect(forced).toMatchObject({applied: true, to: 'promoted', overriddenGates: ['shadow']})
  })

  it('the shadow gate reads signed gate numbers: a signed report passes, the same run and tags unsigned do not', async () => {
    await runChallenge(challengeRequest(gateKey, ['totalTrades >= 1']), engine, port, ctx())
    await promoteStrategy(promoteRequest('stage', gateKey), port, ctx())
    const codeHash = tagMap((await port.getModelVersion(MODEL, '1')).tags)[VERSION_TAG.codeHash]!
    const measured = {completed: true, days: 8, trades: 12, matchRate: 0.9, profitDrift: 0.1, maxDrawdown: 0.05}
    // What `tradai shadow report` records (src/core/shadow/report.ts recordShadow): a run, the version's tags.
    const experimentId = await port.ensureExperiment(`tradai-${MODEL}`)
    const run = await port.createRun({
      experimentId,
      startTime: Date.now(),
      tags: [
        {key: 'tradai.model', value: MODEL},
        {key: 'tradai.model_version', value: '1'},
        {key: VERSION_TAG.codeHash, value: codeHash},
        {key: VERSION_TAG.shadowStatus, value: 'passed'},
      ],
    })
    for (const [tag, value] of [
      [VERSION_TAG.shadowRunId, run.info.run_id],
      [VERSION_TAG.shadowCodeHash, codeHash],
      [VERSION_TAG.shadowStatus, 'passed'],
    ] as const)
      await port.setModelVersionTag(MODEL, '1', tag, value)

    const unsigned = await refusal(promoteStrategy(promoteRequest('promote', gateKey), port, ctx()))
    expect(unsigned.message).toMatch(/shadow report \(run \S+\) is no evidence: no shadow attestation/)

    const statement = {
      kind: 'shadow' as const,
      model: MODEL,
      version: 1,
      codeHash,
      runId: run.info.run_id,
      result: {status: 'passed', digest: null},
      at: '2026-12-01T00:00:00Z',
      who: 'tester',
    }
    await recordAttestation(port, MODEL, attest({...statement, policy: {measured: {...measured, trades: 2}}}, gateKey))
    const tooFew = await refusal(promoteStrategy(promoteRequest('promote', gateKey), port, ctx()))
    expect(tooFew.message).toMatch(/does not meet gates.shadow: trades/)

    await recordAttestation(port, MODEL, attest({...statement, policy: {measured}}, gateKey))
    const promoted = await promoteStrategy(promoteRequest('promote', gateKey), port, ctx())
    expect(promoted).toMatchObject({applied: true, to: 'promoted', overriddenGates: []})
    expect(promoted.evidence.map((check) => [check.kind, check.verified])).toContainEqual(['shadow', true])
  })

  it('a dry run plans and changes nothing', async () => {
    await runChallenge(challengeRequest(gateKey, ['totalTrades >= 1']), engine, port, ctx())
    const before = tagMap((await port.getModelVersion(MODEL, '1')).tags)
    const planned = await promoteStrategy(promoteRequest('stage', gateKey, {dryRun: true}), port, ctx())
    expect(planned).toMatchObject({dryRun: true, applied: false, to: 'staged'})
    expect(tagMap((await port.getModelVersion(MODEL, '1')).tags)).toEqual(before)
  })
})
