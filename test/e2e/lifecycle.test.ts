import {createHash} from 'node:crypto'
import {appendFileSync, copyFileSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {MlflowClient} from '../../src/engines/mlflow/client.js'
import {json, runCli, type CliResult} from '../helpers/cli.js'
import {schemaErrors} from '../helpers/json-schema.js'
import {startMlflowServer, type TestMlflowServer} from '../helpers/mlflow-server.js'
import {fixtureUserData, REPO, STRATEGIES, tempDir} from '../helpers/paths.js'

/**
 * The strategy lifecycle end to end, as a user runs it: real MLflow server on 127.0.0.1, real
 * Freqtrade backtests on the fixture candles (2 pairs, 5 days). One story in order:
 * register → gates refuse what they must → challenge → staged → promoted (forced, audited) →
 * changed code cannot ride on an old challenge → champion/challenger → race → rollback → show.
 */
const MODEL = 'SampleRsiStrategy'
const DATA = ['--pairs', 'ETH/BTC', 'LTC/BTC', '--timerange', '20180115-20180120']

interface ErrorJson {
  error: {code: string; message: string; exitCode: number; details?: {refusals?: Array<{gate: string; message: string}>}}
}

describe('strategy lifecycle on a real MLflow registry', () => {
  let server: TestMlflowServer
  let client: MlflowClient
  let strategies: string
  let strategyFile: string
  let env: NodeJS.ProcessEnv
  const cli = (args: string[], extraEnv: NodeJS.ProcessEnv = {}) => runCli(args, {env: {...env, ...extraEnv}})
  const refusal = (result: CliResult) => json<ErrorJson>(result).error
  const versionTags = async (version: number) => Object.fromEntries(((await client.getModelVersion(MODEL, String(version))).tags ?? []).map((tag) => [tag.key, tag.value]))
  const modelTags = async () => Object.fromEntries(((await client.getRegisteredModel(MODEL)).tags ?? []).map((tag) => [tag.key, tag.value]))
  const aliases = async () => Object.fromEntries(((await client.getRegisteredModel(MODEL)).aliases ?? []).map((entry) => [entry.alias, Number(entry.version)]))
  const auditEntries = async () =>
    Object.entries(await modelTags())
      .filter(([key]) => key.startsWith('tradai.audit.'))
      .map(
        ([, value]) =>
          JSON.parse(value) as {id: number; action: string; version: number; who: string; reason: string | null; forced: boolean; overriddenGates: string[]; archived: number[]},
      )
      .sort((a, b) => a.id - b.id)
  /** What `model list --json` says each version's lifecycle is: it must read the tag the registry writes. */
  const listedLifecycles = async () => {
    const result = await cli(['model', 'list', '--json'])
    expect(result.code, result.stderr).toBe(0)
    const doc = json<{models: Array<{name: string; lifecycle: string | null; versions: Array<{version: string; lifecycle: string | null}>}>}>(result)
    const model = doc.models.find((entry) => entry.name === MODEL)
    return {model: model?.lifecycle, versions: Object.fromEntries((model?.versions ?? []).map((v) => [v.version, v.lifecycle]))}
  }

  beforeAll(async () => {
    server = await startMlflowServer({timeoutMs: 600_000})
    client = new MlflowClient({uri: server.url})
    strategies = tempDir('tradai-lifecycle-strategies-')
    strategyFile = path.join(strategies, 'sample_rsi_strategy.py')
    copyFileSync(path.join(STRATEGIES, 'sample_rsi_strategy.py'), strategyFile)
    env = {
      TRADAI_MLFLOW_TRACKING_URI: server.url,
      TRADAI_STRATEGIES_DIR: strategies,
      TRADAI_USER_DATA_DIR: fixtureUserData(),
      TRADAI_USER: 'e2e-tester',
      // The staging policy this story's challenges meet (the default asks for 30 trades).
      TRADAI_GATES_CHALLENGE_CRITERIA: 'totalTrades >= 1',
    }
  }, 660_000)

  afterAll(async () => {
    await server?.stop()
  })

  it('refuses to register a strategy with lint errors (exit 1) and registers nothing', async () => {
    const bad = tempDir('tradai-lifecycle-bad-')
    copyFileSync(path.join(REPO, 'test/fixtures/strategies/peeking_shift_strategy.py'), path.join(bad, 'peeking_shift_strategy.py'))
    const result = await cli(['strategy', 'register', 'PeekingShiftStrategy', '--strategy-path', bad, '--json'])
    expect(result.code, result.stderr).toBe(1)
    expect(schemaErrors('error', json(result))).toEqual([])
    expect(refusal(result).message).toMatch(/lint error.*nothing was registered[\s\S]*shift\(-1\)/)
    expect((await client.searchRegisteredModels()).map((model) => model.name)).not.toContain('PeekingShiftStrategy')
  })

  it('registers v1 with its code, params, config and lint report; registering again returns v1', async () => {
    const result = await cli(['strategy', 'register', MODEL, '--json'])
    expect(result.code, result.stderr).toBe(0)
    const doc = json<{model: {name: string}; version: number; state: string; runId: string; codeHash: string; created: boolean}>(result)
    expect(schemaErrors('strategy-register', doc)).toEqual([])
    const expectedHash = createHash('sha256')
      .update(readFileSync(strategyFile))
      .update(Buffer.from([0]))
      .digest('hex')
    expect(doc).toMatchObject({model: {name: MODEL}, version: 1, state: 'registered', codeHash: expectedHash, created: true})
    expect(await versionTags(1)).toMatchObject({'tradai.state': 'registered', 'tradai.code_hash': expectedHash, 'tradai.metadata_version': '1.0.0', 'tradai.lint.status': 'passed'})
    const run = await client.getRun(doc.runId)
    expect((await client.getModelVersion(MODEL, '1')).source).toBe(`${run.info.artifact_uri}/strategy`)
    expect((await client.listArtifacts(run.info, 'strategy')).map((file) => file.path)).toEqual(['strategy/sample_rsi_strategy.py'])
    expect(JSON.parse((await client.downloadArtifact(run.info, 'lint/lint-report.json')).toString())).toMatchObject({passed: true})
    expect((await client.listArtifacts(run.info, 'config')).map((file) => file.path)).toEqual(['config/tradai-config.json'])

    const again = await cli(['strategy', 'register', MODEL, '--json'])
    expect(again.code, again.stderr).toBe(0)
    expect(json(again)).toMatchObject({version: 1, created: false, runId: doc.runId})
    expect(await client.searchModelVersions(`name='${MODEL}'`)).toHaveLength(1)
    expect(await listedLifecycles()).toEqual({model: 'registered', versions: {'1': 'registered'}})
  })

  it('refuses to stage an unchallenged version (exit 1)', async () => {
    const result = await cli(['promote', MODEL, '--to', 'staged', '--version', '1', '--json'])
    expect(result.code, result.stderr).toBe(1)
    expect(schemaErrors('error', json(result))).toEqual([])
    expect(refusal(result)).toMatchObject({
      code: 'GATE_REFUSED',
      details: {refusals: [expect.objectContaining({gate: 'challenge', message: expect.stringMatching(/not been challenged/)})]},
    })
    expect(await aliases()).toEqual({})
  })

  it('a malformed criterion is a usage error naming it and where it came from (exit 2)', async () => {
    const result = await cli(['strategy', 'challenge', MODEL, '--criterion', 'sharpe => 1', ...DATA])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('Malformed criterion "sharpe => 1" (--criterion)')
    const file = path.join(tempDir('tradai-criteria-'), 'criteria.yaml')
    writeFileSync(file, 'criteria:\n  - totalTrades >= 1\n  - sharp > 1\n')
    const fromFile = await cli(['strategy', 'challenge', MODEL, '--criteria', file, ...DATA, '--json'])
    expect(fromFile.code).toBe(2)
    expect(refusal(fromFile).message).toContain(`Unknown metric "sharp" in criterion "sharp > 1" (--criteria ${file})`)
  })

  it('a failed challenge (criteria from the config file, out-of-sample window) exits 1, prints its report and is recorded; the version cannot be staged', async () => {
    const config = path.join(tempDir('tradai-challenge-config-'), 'tradai.config.yaml')
    writeFileSync(config, 'challenge:\n  criteria: ["totalTrades >= 100000"]\n  oosTimerange: 20180120-20180122\n')
    const result = await cli(['strategy', 'challenge', MODEL, '--config', config, ...DATA, '--json'])
    expect(result.code, result.stderr).toBe(1)
    const report = json<{
      passed: boolean
      status: string
      runId: string
      outOfSample: {timerange: string}
      criteria: Array<{criterion: string; window: string; actual: number; passed: boolean}>
    }>(result)
    expect(schemaErrors('strategy-challenge', report)).toEqual([])
    expect(report).toMatchObject({passed: false, status: 'failed'})
    expect(report.criteria.map((c) => [c.criterion, c.window, c.passed])).toEqual([
      ['totalTrades >= 100000', 'in-sample', false],
      ['totalTrades >= 100000', 'out-of-sample', false],
    ])
    expect(report.outOfSample.timerange).toBe('20180120-20180122')
    expect(await versionTags(1)).toMatchObject({'tradai.challenge.status': 'failed', 'tradai.challenge.run_id': report.runId})

    const promote = await cli(['promote', MODEL, '--to', 'staged', '--json'])
    expect(promote.code).toBe(1)
    expect(refusal(promote).message).toMatch(/challenge failed/)
  })

  it("challenges the registry's code, not the working copy, and records the pass with Monte Carlo", async () => {
    const original = readFileSync(strategyFile)
    // A broken working copy: if challenge read it, the backtest would fail.
    appendFileSync(strategyFile, '\nthis is not python\n')
    let result: CliResult
    try {
      result = await cli([
        'strategy',
        'challenge',
        MODEL,
        '--version',
        '1',
        ...DATA,
        '--criterion',
        'totalTrades >= 1',
        '--criterion',
        'beatsMarket',
        '--criterion',
        'beatsProduction',
        '--monte-carlo',
        '200',
        '--max-mc-drawdown',
        '0.5',
        '--json',
      ])
    } finally {
      writeFileSync(strategyFile, original)
    }

    expect(result.code, result.stderr).toBe(0)
    const report = json<{
      passed: boolean
      runId: string
      codeHash: string
      backtest: {metrics: {totalTrades: number; maxDrawdown: number}}
      criteria: Array<{criterion: string; window: string; passed: boolean; skipped: boolean; actual: number | null; threshold: number | null}>
      monteCarlo: {runs: number; original: number; drawdown: number; trades: number}
    }>(result)
    expect(schemaErrors('strategy-challenge', report)).toEqual([])
    expect(report.passed).toBe(true)
    expect(report.criteria.map((c) => [c.criterion, c.window, c.skipped])).toEqual([
      ['totalTrades >= 1', 'in-sample', false],
      ['beatsMarket', 'in-sample', false],
      ['beatsProduction', 'champion', true],
      ['monteCarloDrawdown(p95) < 0.5', 'monte-carlo', false],
    ])
    // The unshuffled order reproduces Freqtrade's own account drawdown from the same trades.
    expect(report.monteCarlo.trades).toBe(report.backtest.metrics.totalTrades)
    expect(report.monteCarlo.original).toBeCloseTo(report.backtest.metrics.maxDrawdown, 9)
    expect(report.monteCarlo.drawdown).toBeGreaterThanOrEqual(report.monteCarlo.original - 1e-12)
    expect(await versionTags(1)).toMatchObject({'tradai.challenge.status': 'passed', 'tradai.challenge.run_id': report.runId, 'tradai.challenge.code_hash': report.codeHash})
    const run = await client.getRun(report.runId)
    expect(JSON.parse((await client.downloadArtifact(run.info, 'challenge-report.json')).toString())).toMatchObject({passed: true, version: 1})
  })

  it('--dry-run prints the plan and changes nothing', async () => {
    const snapshot = async () => ({model: await client.getRegisteredModel(MODEL), versions: await client.searchModelVersions(`name='${MODEL}'`)})
    const before = await snapshot()
    const result = await cli(['promote', MODEL, '--to', 'staged', '--dry-run', '--json'])
    expect(result.code, result.stderr).toBe(0)
    const plan = json<{dryRun: boolean; applied: boolean; version: number; steps: Array<{kind: string; alias?: string; version?: number}>}>(result)
    expect(schemaErrors('promote', plan)).toEqual([])
    expect(plan).toMatchObject({dryRun: true, applied: false, version: 1})
    expect(plan.steps[0]).toMatchObject({kind: 'set-alias', alias: 'staging', version: 1})
    expect(await snapshot()).toEqual(before)
  })

  it('promotes to staged: alias staging → v1, state tag, audit entry', async () => {
    const result = await cli(['promote', MODEL, '--to', 'staged', '--json'])
    expect(result.code, result.stderr).toBe(0)
    expect(schemaErrors('promote', json(result))).toEqual([])
    expect(json(result)).toMatchObject({applied: true, version: 1, from: 'registered', to: 'staged', aliases: {staging: 1, production: null}})
    expect((await client.getModelVersionByAlias(MODEL, 'staging')).version).toBe('1')
    expect(await versionTags(1)).toMatchObject({'tradai.state': 'staged', 'tradai.state.changed_by': 'e2e-tester'})
    expect(await listedLifecycles()).toEqual({model: 'staged', versions: {'1': 'staged'}})
    expect(await auditEntries()).toEqual([expect.objectContaining({id: 1, action: 'stage', version: 1, who: 'e2e-tester', forced: false})])
  })

  it('refuses promotion to production without shadow evidence (exit 1)', async () => {
    const result = await cli(['promote', MODEL, '--to', 'promoted', '--json'])
    expect(result.code, result.stderr).toBe(1)
    expect(refusal(result).details?.refusals).toEqual([expect.objectContaining({gate: 'shadow', overridable: true})])
    expect(await aliases()).toEqual({staging: 1})
  })

  it('--force --reason promotes and records the override in the audit (tags and artifact)', async () => {
    const noReason = await cli(['promote', MODEL, '--to', 'promoted', '--force'])
    expect(noReason.code).toBe(2)
    const result = await cli(['promote', MODEL, '--to', 'promoted', '--force', '--reason', 'shadow trading not available yet', '--json'])
    expect(result.code, result.stderr).toBe(0)
    const doc = json<{auditRunId: string; overriddenGates: string[]}>(result)
    expect(doc.overriddenGates).toEqual(['shadow'])
    expect(await aliases()).toEqual({production: 1})
    expect(await versionTags(1)).toMatchObject({
      'tradai.state': 'promoted',
      'tradai.promotion.forced': 'shadow',
      'tradai.promotion.force_reason': 'shadow trading not available yet',
    })
    const entries = await auditEntries()
    expect(entries.at(-1)).toMatchObject({id: 2, action: 'promote', version: 1, forced: true, overriddenGates: ['shadow'], reason: 'shadow trading not available yet'})
    const auditRun = await client.getRun(doc.auditRunId)
    expect((await client.listArtifacts(auditRun.info, 'audit')).map((file) => file.path)).toEqual(['audit/000001-stage-v1.json', 'audit/000002-promote-v1.json'])
    expect(JSON.parse((await client.downloadArtifact(auditRun.info, 'audit/000002-promote-v1.json')).toString())).toMatchObject({forced: true, who: 'e2e-tester'})
  })

  it('code changed after the challenge is a new version that cannot use the old challenge, even with copied tags', async () => {
    appendFileSync(strategyFile, '\n# tuned after the challenge\n')
    const registered = await cli(['strategy', 'register', MODEL, '--json'])
    expect(registered.code, registered.stderr).toBe(0)
    const v2 = json<{version: number; codeHash: string; created: boolean}>(registered)
    expect(v2).toMatchObject({version: 2, created: true})

    const unchallenged = await cli(['promote', MODEL, '--to', 'staged', '--version', '2', '--json'])
    expect(unchallenged.code).toBe(1)
    expect(refusal(unchallenged).message).toMatch(/v2 has not been challenged/)

    // Forge: copy v1's passing challenge onto v2.
    const v1 = await versionTags(1)
    for (const key of ['tradai.challenge.status', 'tradai.challenge.run_id', 'tradai.challenge.code_hash']) await client.setModelVersionTag(MODEL, '2', key, v1[key]!)
    const copied = await cli(['promote', MODEL, '--to', 'staged', '--version', '2', '--json'])
    expect(copied.code).toBe(1)
    expect(refusal(copied).message).toMatch(/challenge is no evidence: no challenge attestation/)
    // Forge harder: claim v2's own hash. The challenge run itself says v1 and v1's code.
    await client.setModelVersionTag(MODEL, '2', 'tradai.challenge.code_hash', v2.codeHash)
    const forged = await cli(['promote', MODEL, '--to', 'staged', '--version', '2', '--json'])
    expect(forged.code).toBe(1)
    expect(refusal(forged).message).toMatch(/challenge is no evidence: no challenge attestation/)
    expect(await aliases()).toEqual({production: 1})
  })

  it('beatsProduction backtests the production version on the same candles (champion vs challenger)', async () => {
    // v2 trades exactly like v1 (a comment changed): not strictly better, so it fails.
    const result = await cli(['strategy', 'challenge', MODEL, '--version', '2', ...DATA, '--criterion', 'totalTrades >= 1', '--criterion', 'beatsProduction', '--json'])
    expect(result.code, result.stderr).toBe(1)
    const report = json<{
      champion: {version: number; metrics: {totalTrades: number; profitTotal: number}}
      backtest: {metrics: {totalTrades: number; profitTotal: number}}
      criteria: Array<{criterion: string; actual: number; threshold: number; passed: boolean; skipped: boolean}>
    }>(result)
    expect(report.champion.version).toBe(1)
    expect(report.champion.metrics.totalTrades).toBe(report.backtest.metrics.totalTrades)
    expect(report.criteria[1]).toMatchObject({
      criterion: 'beatsProduction',
      skipped: false,
      passed: false,
      actual: report.backtest.metrics.profitTotal,
      threshold: report.champion.metrics.profitTotal,
    })

    const pass = await cli(['strategy', 'challenge', MODEL, '--version', '2', ...DATA, '--criterion', 'totalTrades >= 1', '--json'])
    expect(pass.code, pass.stderr).toBe(0)
  })

  it('two promotions racing leave the registry consistent: one applies, one finds it done', async () => {
    const before = (await auditEntries()).length
    const [a, b] = await Promise.all([cli(['promote', MODEL, '--to', 'staged', '--version', '2', '--json']), cli(['promote', MODEL, '--to', 'staged', '--version', '2', '--json'])])
    expect([a.code, b.code], a.stderr + b.stderr).toEqual([0, 0])
    expect([json<{applied: boolean}>(a).applied, json<{applied: boolean}>(b).applied].sort()).toEqual([false, true])
    const entries = await auditEntries()
    expect(entries).toHaveLength(before + 1)
    expect(entries.map((entry) => entry.id)).toEqual(entries.map((_, index) => index + 1))
    expect(await aliases()).toEqual({staging: 2, production: 1})
    expect((await modelTags())['tradai.lock']).toBeUndefined()
  })

  it('promotes v2 (archiving v1), then --rollback restores v1 as production, audited', async () => {
    const promoted = await cli(['promote', MODEL, '--to', 'promoted', '--force', '--reason', 'drill', '--json'])
    expect(promoted.code, promoted.stderr).toBe(0)
    expect(await aliases()).toEqual({production: 2})
    expect(await versionTags(1)).toMatchObject({'tradai.state': 'archived'})

    const rollback = await cli(['promote', MODEL, '--rollback', '--reason', 'live slippage', '--json'])
    expect(rollback.code, rollback.stderr).toBe(0)
    expect(schemaErrors('promote', json(rollback))).toEqual([])
    expect(json(rollback)).toMatchObject({action: 'rollback', version: 1, aliases: {production: 1, staging: null}})
    expect(await aliases()).toEqual({production: 1})
    expect(await versionTags(1)).toMatchObject({'tradai.state': 'promoted'})
    expect(await versionTags(2)).toMatchObject({'tradai.state': 'archived'})
    expect((await auditEntries()).at(-1)).toMatchObject({action: 'rollback', version: 1, archived: [2], reason: 'live slippage'})

    // Production's history was [v1, v2]; after the rollback there is nothing further back.
    const again = await cli(['promote', MODEL, '--rollback', '--json'])
    expect(again.code).toBe(1)
    expect(refusal(again).message).toMatch(/first production version/)
  })

  it('strategy show lists the versions and the lifecycle history', async () => {
    const result = await cli(['strategy', 'show', MODEL, '--json'])
    expect(result.code, result.stderr).toBe(0)
    const doc = json<{registry: {status: string; aliases: object; versions: Array<{version: number; state: string}>; history: Array<{action: string; version: number}>}}>(result)
    expect(schemaErrors('strategy-show', doc)).toEqual([])
    expect(doc.registry.status).toBe('ok')
    expect(doc.registry.aliases).toEqual({staging: null, production: 1})
    expect(doc.registry.versions.map((v) => [v.version, v.state])).toEqual([
      [1, 'promoted'],
      [2, 'archived'],
    ])
    expect((await listedLifecycles()).versions).toEqual({'1': 'promoted', '2': 'archived'})
    expect(doc.registry.history.map((entry) => `${entry.action} v${entry.version}`)).toEqual(['stage v1', 'promote v1', 'stage v2', 'promote v2', 'rollback v1'])

    const text = await cli(['strategy', 'show', MODEL])
    expect(text.stdout).toMatch(/Lifecycle history[\s\S]*#5 .* e2e-tester: rollback v1 archived → promoted, archived v2 — live slippage/)
  })

  it('two registrations of the same new code racing leave one version', async () => {
    appendFileSync(strategyFile, '\n# registered twice at once\n')
    const [a, b] = await Promise.all([cli(['strategy', 'register', MODEL, '--json']), cli(['strategy', 'register', MODEL, '--json'])])
    expect([a.code, b.code], a.stderr + b.stderr).toEqual([0, 0])
    const [docA, docB] = [json<{version: number; codeHash: string}>(a), json<{version: number; codeHash: string}>(b)]
    expect(docA.version).toBe(docB.version)
    const versions = await client.searchModelVersions(`name='${MODEL}'`)
    expect(versions.filter((version) => version.tags?.some((tag) => tag.key === 'tradai.code_hash' && tag.value === docA.codeHash))).toHaveLength(1)
  })

  it('exit 5 for an unknown strategy or version, 4 when the registry cannot be reached', async () => {
    const unknown = await cli(['promote', 'NoSuchStrategy', '--to', 'staged', '--json'])
    expect(unknown.code).toBe(5)
    expect(refusal(unknown).message).toMatch(/NoSuchStrategy is not registered/)
    const version = await cli(['promote', MODEL, '--to', 'staged', '--version', '99', '--json'])
    expect(version.code).toBe(5)
    const down = await cli(['promote', MODEL, '--to', 'staged', '--json'], {TRADAI_MLFLOW_TRACKING_URI: 'http://127.0.0.1:9'})
    expect(down.code).toBe(4)
    expect(schemaErrors('error', json(down))).toEqual([])
  })
})
