import {createHash} from 'node:crypto'
import {copyFileSync} from 'node:fs'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {MlflowClient} from '../../src/engines/mlflow/client.js'
import {json, runCli} from '../helpers/cli.js'
import {schemaErrors} from '../helpers/json-schema.js'
import {startMlflowServer, type TestMlflowServer} from '../helpers/mlflow-server.js'
import {fixtureUserData, STRATEGIES, tempDir} from '../helpers/paths.js'

/**
 * wf* challenge criteria on a real MLflow registry: the challenge runs a walk-forward of the
 * registered version's own code (real Optuna per window, real Freqtrade backtests) and judges
 * wfOosProfitTotal & co on its aggregate, which must be exactly what a separate
 * `strategy walk-forward --json` with the same settings and seed reports.
 */
const MODEL = 'SampleRsiStrategy'
const DATA = ['--pairs', 'ETH/BTC', '--timerange', '20180112-']
const WF = {trainDays: 3, testDays: 2, windows: 2, epochs: 3, seed: 5}

interface Aggregate {
  efficiency: number | null
  oosProfitTotal: number
  oosProfitTotalAbs: number
  oosMaxDrawdown: number
  oosTotalTrades: number
  isProfitTotal: number
}

interface ChallengeJson {
  passed: boolean
  runId: string
  criteria: Array<{criterion: string; window: string; actual: number | null; threshold: number | null; passed: boolean}>
  walkForward: {
    runId: string
    settings: Record<string, unknown>
    windows: Array<{train: {timerange: string}; test: {timerange: string}; bestParams: Record<string, number> | null}>
    aggregate: Aggregate
  }
}

interface WalkForwardJson {
  runId: string
  windows: Array<{train: {timerange: string}; test: {timerange: string}; bestParams: Record<string, number> | null; outOfSample: {metrics: Record<string, number | null>}}>
  aggregate: Aggregate
  tracking: {status: string; runId: string; experimentId: string; childRuns: number}
}

type Run = Awaited<ReturnType<MlflowClient['getRun']>>
const tag = (run: Run, key: string) => run.data.tags?.find((entry) => entry.key === key)?.value
const paramOf = (run: Run, key: string) => run.data.params?.find((entry) => entry.key === key)?.value
const metricOf = (run: Run, key: string) => run.data.metrics?.find((entry) => entry.key === key)?.value

describe('strategy challenge with walk-forward criteria (real MLflow, Optuna, Freqtrade)', () => {
  let server: TestMlflowServer
  let client: MlflowClient
  let env: NodeJS.ProcessEnv
  let challenge: ChallengeJson
  let walkForward: WalkForwardJson
  const cli = (args: string[]) => runCli(args, {env})

  beforeAll(async () => {
    server = await startMlflowServer({timeoutMs: 600_000})
    client = new MlflowClient({uri: server.url})
    const strategies = tempDir('tradai-challenge-wf-strategies-')
    copyFileSync(path.join(STRATEGIES, 'sample_rsi_strategy.py'), path.join(strategies, 'sample_rsi_strategy.py'))
    env = {
      TRADAI_MLFLOW_TRACKING_URI: server.url,
      TRADAI_STRATEGIES_DIR: strategies,
      TRADAI_USER_DATA_DIR: fixtureUserData(),
      TRADAI_OUTBOX_DIR: tempDir('tradai-challenge-wf-outbox-'),
      TRADAI_STUDIES_DIR: tempDir('tradai-challenge-wf-studies-'),
      TRADAI_USER: 'e2e-tester',
    }
    const registered = await cli(['strategy', 'register', MODEL, '--json'])
    expect(registered.code, registered.stderr).toBe(0)

    const challenged = await cli([
      'strategy',
      'challenge',
      MODEL,
      ...DATA,
      '--criterion',
      'totalTrades >= 0',
      '--criterion',
      'wfOosProfitTotal > -1',
      '--criterion',
      'wfOosTotalTrades >= 0',
      '--criterion',
      'wfOosMaxDrawdown < 1',
      '--wf-train-days',
      String(WF.trainDays),
      '--wf-test-days',
      String(WF.testDays),
      '--wf-windows',
      String(WF.windows),
      '--wf-epochs',
      String(WF.epochs),
      '--wf-seed',
      String(WF.seed),
      '--json',
    ])
    expect(challenged.code, challenged.stderr).toBe(0)
    challenge = json<ChallengeJson>(challenged)

    // The same walk-forward on its own (the working copy is the registered file, byte for byte), tracked.
    const separate = await cli([
      'strategy',
      'walk-forward',
      '--strategy',
      MODEL,
      ...DATA,
      '--train-days',
      String(WF.trainDays),
      '--test-days',
      String(WF.testDays),
      '--windows',
      String(WF.windows),
      '--epochs',
      String(WF.epochs),
      '--seed',
      String(WF.seed),
      '--json',
    ])
    expect(separate.code, separate.stderr).toBe(0)
    walkForward = json<WalkForwardJson>(separate)
  }, 1_500_000)

  afterAll(async () => {
    await server?.stop()
  })

  it('judges wf* criteria on a walk-forward of the version equal to a separate `strategy walk-forward` with the same seed', () => {
    expect(schemaErrors('strategy-challenge', challenge)).toEqual([])
    expect(challenge.passed).toBe(true)
    const wf = challenge.criteria.filter((c) => c.window === 'walk-forward')
    expect(wf.map((c) => c.criterion)).toEqual(['wfOosProfitTotal > -1', 'wfOosTotalTrades >= 0', 'wfOosMaxDrawdown < 1'])
    expect(wf.map((c) => c.actual)).toEqual([walkForward.aggregate.oosProfitTotal, walkForward.aggregate.oosTotalTrades, walkForward.aggregate.oosMaxDrawdown])
    expect(challenge.walkForward.aggregate).toEqual(walkForward.aggregate)
    // Equal numbers must mean something: the out-of-sample segments traded.
    expect(walkForward.aggregate.oosTotalTrades).toBeGreaterThan(0)
    expect(challenge.walkForward.windows.map((w) => [w.train.timerange, w.test.timerange, w.bestParams])).toEqual(
      walkForward.windows.map((w) => [w.train.timerange, w.test.timerange, w.bestParams]),
    )
    expect(challenge.walkForward.settings).toMatchObject({...WF, anchored: false, spaces: ['buy', 'sell']})
    // The backtest criterion is still judged on the in-sample backtest, not the walk-forward.
    expect(challenge.criteria.find((c) => c.criterion === 'totalTrades >= 0')?.window).toBe('in-sample')
  })

  it('records the aggregate in the challenge run, and the signed attestation pins the report and names the walk-forward settings', async () => {
    const run = await client.getRun(challenge.runId)
    const metric = (key: string) => metricOf(run, key)
    expect(metric('wf.oosProfitTotal')).toBeCloseTo(walkForward.aggregate.oosProfitTotal, 12)
    expect(metric('wf.oosTotalTrades')).toBe(walkForward.aggregate.oosTotalTrades)
    const report = await client.downloadArtifact(run.info, 'challenge-report.json')
    expect(JSON.parse(report.toString()).walkForward.aggregate).toEqual(walkForward.aggregate)
    const attestation = JSON.parse((await client.downloadArtifact(run.info, 'attestations/challenge.json')).toString()) as {
      statement: {result: {digest: string}; policy: {criteria: string[]; walkForward: Record<string, unknown>}}
    }
    expect(attestation.statement.result.digest).toBe(`sha256:${createHash('sha256').update(report).digest('hex')}`)
    expect(attestation.statement.policy.criteria).toContain('wfOosProfitTotal > -1 [walk-forward]')
    expect(attestation.statement.policy.walkForward).toMatchObject(WF)
  })

  it('tracks the walk-forward as a parent run with one child run per window: its timeranges, best params and OOS metrics', async () => {
    expect(walkForward.tracking).toMatchObject({status: 'logged', childRuns: WF.windows})
    const parent = await client.getRun(walkForward.tracking.runId)
    expect(tag(parent, 'tradai.kind')).toBe('walk-forward')
    expect(tag(parent, 'tradai.runId')).toBe(walkForward.runId)
    expect(metricOf(parent, 'wf.oosTotalTrades')).toBe(walkForward.aggregate.oosTotalTrades)
    expect(metricOf(parent, 'wf.oosProfitTotal')).toBeCloseTo(walkForward.aggregate.oosProfitTotal, 12)
    const children = await client.searchRuns({experimentIds: [walkForward.tracking.experimentId], filter: `tags.\`mlflow.parentRunId\` = '${walkForward.tracking.runId}'`})
    expect(children).toHaveLength(WF.windows)
    const byIndex = [...children].sort((a, b) => Number(tag(a, 'tradai.window')) - Number(tag(b, 'tradai.window')))
    for (const [index, child] of byIndex.entries()) {
      const window = walkForward.windows[index]!
      expect(tag(child, 'tradai.kind')).toBe('walk-forward-window')
      expect(paramOf(child, 'train')).toBe(window.train.timerange)
      expect(paramOf(child, 'test')).toBe(window.test.timerange)
      for (const [name, value] of Object.entries(window.bestParams ?? {})) expect(paramOf(child, `param.${name}`)).toBe(String(value))
      expect(metricOf(child, 'oos.totalTrades')).toBe(window.outOfSample.metrics.totalTrades)
      expect(metricOf(child, 'oos.profitTotal')).toBeCloseTo(window.outOfSample.metrics.profitTotal!, 12)
    }
  })

  it('tracks a sweep through the same helper: a parent and one child run per point with its params and metrics', async () => {
    const run = await cli(['strategy', 'sweep', '--strategy', MODEL, '--pairs', 'ETH/BTC', '--timerange', '20180115-20180118', '--grid', 'buy_rsi=25,35', '--json'])
    expect(run.code, run.stderr).toBe(0)
    const sweep = json<{runId: string; points: Array<{index: number; params: Record<string, number>; metrics: {totalTrades: number}}>; tracking: WalkForwardJson['tracking']}>(run)
    expect(sweep.tracking).toMatchObject({status: 'logged', childRuns: 2})
    expect(tag(await client.getRun(sweep.tracking.runId), 'tradai.kind')).toBe('sweep')
    const children = await client.searchRuns({experimentIds: [sweep.tracking.experimentId], filter: `tags.\`mlflow.parentRunId\` = '${sweep.tracking.runId}'`})
    expect(children.map((child) => [tag(child, 'tradai.kind'), paramOf(child, 'param.buy_rsi'), metricOf(child, 'totalTrades')]).sort()).toEqual(
      [...sweep.points]
        .sort((a, b) => a.index - b.index)
        .map((point) => ['sweep-point', String(point.params.buy_rsi), point.metrics.totalTrades])
        .sort(),
    )
  })

  it('a wf* criterion without walk-forward days, or an unknown metric, is a usage error before anything runs', async () => {
    const missing = await cli(['strategy', 'challenge', MODEL, ...DATA, '--criterion', 'wfEfficiency >= 0.5', '--json'])
    expect(missing.code).toBe(2)
    expect(json<{error: {message: string}}>(missing).error.message).toMatch(/--wf-train-days D and --wf-test-days D/)
    const unknown = await cli(['strategy', 'challenge', MODEL, ...DATA, '--criterion', 'wfSharp >= 0.5', '--json'])
    expect(unknown.code).toBe(2)
    const {error} = json<{error: {message: string; suggestions: string[]}}>(unknown)
    expect(error.message).toContain('Unknown metric "wfSharp"')
    expect(error.suggestions.join(' ')).toMatch(/wfEfficiency, wfOosProfitTotal/)
  })
})
