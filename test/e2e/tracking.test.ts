import {readFileSync, writeFileSync, mkdirSync} from 'node:fs'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {MlflowClient} from '../../src/engines/mlflow/client.js'
import type {RunInfo} from '../../src/engines/mlflow/schemas.js'
import {json, runCli} from '../helpers/cli.js'
import {schemaErrors} from '../helpers/json-schema.js'
import {startMlflowServer, type TestMlflowServer} from '../helpers/mlflow-server.js'
import {fixtureUserData, STRATEGIES, tempDir} from '../helpers/paths.js'

/** A tracked backtest against a REAL MLflow server on 127.0.0.1, read back through its REST API. */
let server: TestMlflowServer
let client: MlflowClient
let outboxDir: string

beforeAll(async () => {
  server = await startMlflowServer()
  client = new MlflowClient({uri: server.url})
  outboxDir = tempDir('tradai-outbox-')
})

afterAll(async () => {
  await server?.stop()
})

const backtestArgs = () => ['strategy', 'backtest', '--strategy', 'SampleRsiStrategy', '--user-data-dir', fixtureUserData(), '--pairs', 'ETH/BTC']

async function allArtifacts(info: RunInfo, dir = ''): Promise<string[]> {
  const files: string[] = []
  for (const file of await client.listArtifacts(info, dir)) files.push(...(file.is_dir ? await allArtifacts(info, file.path) : [file.path]))
  return files
}

interface Backtest {
  runId: string
  runDir: string
  resultFile: string
  configFile: string
  strategyFiles: string[]
  metrics: Record<string, number | null>
  perPair: Array<Record<string, number | string | null>>
  equityCurve: Array<{date: string; balance: number}>
  tracking: {status: string; runId: string; experimentId: string; url: string}
}

describe('tracked backtest (real MLflow server)', () => {
  let result: Backtest
  let info: RunInfo
  let run: Awaited<ReturnType<MlflowClient['getRun']>>

  beforeAll(async () => {
    const cli = await runCli([...backtestArgs(), '--json'], {env: {TRADAI_MLFLOW_TRACKING_URI: server.url, TRADAI_OUTBOX_DIR: outboxDir}})
    expect(cli.code, cli.stderr).toBe(0)
    result = json<Backtest>(cli)
    run = await client.getRun(result.tracking.runId)
    info = run.info
  })

  it('reports tracking.status "logged" with the run, experiment and UI link', () => {
    expect(result.tracking.status).toBe('logged')
    expect(schemaErrors('tracking-outcome', result.tracking)).toEqual([])
    expect(result.tracking.url).toBe(`${server.url}/#/experiments/${result.tracking.experimentId}/runs/${result.tracking.runId}`)
    expect(info.experiment_id).toBe(result.tracking.experimentId)
    expect(info.status).toBe('FINISHED')
  })

  it("the run's metrics equal the --json metrics exactly (summary, per pair, equity curve)", async () => {
    const logged = Object.fromEntries((run.data.metrics ?? []).map((m) => [m.key, m.value]))
    const numeric = Object.entries(result.metrics).filter(([, v]) => typeof v === 'number')
    expect(numeric.length).toBeGreaterThan(15)
    for (const [key, value] of numeric) expect(logged[key], key).toBe(value)
    for (const row of result.perPair.filter((r) => r.key !== 'TOTAL')) {
      expect(logged[`pair.${row.key}.profitTotal`]).toBe(row.profitTotal)
      expect(logged[`pair.${row.key}.trades`]).toBe(row.trades)
    }

    const history = await client.metricHistory(info.run_id, 'equity')
    const series = [...history].sort((a, b) => a.step - b.step)
    expect(series.map((m) => m.value)).toEqual(result.equityCurve.map((p) => p.balance))
    expect(series.map((m) => m.timestamp)).toEqual(result.equityCurve.map((p) => Date.parse(p.date)))
  })

  it('holds the params and tags the issue lists', () => {
    const params = Object.fromEntries((run.data.params ?? []).map((p) => [p.key, p.value]))
    expect(params).toMatchObject({
      strategy: 'SampleRsiStrategy',
      'strategy.class': 'SampleRsiStrategy',
      'strategy.version': '1.0.0',
      exchange: 'binance',
      timeframe: '5m',
      pairs: 'ETH/BTC',
      stakeAmount: 'unlimited',
      'param.buy.buy_rsi': '30',
    })
    expect(params['strategy.codeHash']).toMatch(/^[0-9a-f]{64}$/)
    expect(params['engine.freqtrade']).toMatch(/^\d{4}\.\d+/)
    const tags = Object.fromEntries((run.data.tags ?? []).map((t) => [t.key, t.value]))
    expect(tags).toMatchObject({'tradai.kind': 'backtest', 'tradai.clientRunId': result.runId, 'ci.CI': 'true'})
    expect(tags['mlflow.user']).toBeTruthy()
    expect(tags['tradai.host']).toBeTruthy()
    expect(tags['tradai.version']).toMatch(/^\d+\.\d+\.\d+/)
  })

  it('its artifacts download byte-identical to the local files', async () => {
    const local: Record<string, string> = {
      [`freqtrade/${path.basename(result.resultFile)}`]: result.resultFile,
      'freqtrade/config.json': result.configFile,
      'tradai-result.json': path.join(result.runDir, 'tradai-result.json'),
      'summary.md': path.join(result.runDir, 'summary.md'),
      'equity.svg': path.join(result.runDir, 'equity.svg'),
      ...Object.fromEntries(result.strategyFiles.map((file) => [`strategy/${path.basename(file)}`, file])),
    }
    expect((await allArtifacts(info)).sort()).toEqual(Object.keys(local).sort())
    for (const [artifact, file] of Object.entries(local)) {
      const downloaded = await client.downloadArtifact(info, artifact)
      expect(downloaded.equals(readFileSync(file)), artifact).toBe(true)
    }
  })
})

describe('secrets never reach MLflow or the output', () => {
  it('a planted MLflow password, token and exchange key appear in no param, tag, artifact or output', async () => {
    const planted = {
      password: 'PLANTED-mlflow-password-7f3a',
      token: 'PLANTED-config-token-91bc',
      exchangeKey: 'PLANTED-exchange-key-c0ffee',
      exchangeSecret: 'PLANTED-exchange-secret-beef',
    }
    const cwd = tempDir('tradai-secrets-')
    mkdirSync(path.join(cwd, 'strategies'), {recursive: true})
    // The token comes from a config file, the rest from the environment.
    writeFileSync(path.join(cwd, 'tradai.config.json'), JSON.stringify({strategiesDir: STRATEGIES, tracking: {token: planted.token}}))
    const cli = await runCli([...backtestArgs(), '--verbose'], {
      cwd,
      env: {
        TRADAI_MLFLOW_TRACKING_URI: server.url,
        TRADAI_OUTBOX_DIR: outboxDir,
        MLFLOW_TRACKING_USERNAME: 'tradai-test',
        MLFLOW_TRACKING_PASSWORD: planted.password,
        FREQTRADE__EXCHANGE__KEY: planted.exchangeKey,
        FREQTRADE__EXCHANGE__SECRET: planted.exchangeSecret,
        BINANCE_API_SECRET: planted.exchangeSecret,
      },
    })
    expect(cli.code, cli.stderr).toBe(0)
    // Human output: the run's MLflow UI link.
    const link = /MLflow run: .*?(http:\/\/127\.0\.0\.1:\d+\/#\/experiments\/(\d+)\/runs\/([0-9a-f]+))/.exec(cli.stdout)
    expect(link, cli.stdout).not.toBeNull()
    const run = await client.getRun(link![3]!)
    const haystacks = [
      cli.stdout,
      cli.stderr,
      JSON.stringify(run.data.params),
      JSON.stringify(run.data.tags),
      ...(await Promise.all((await allArtifacts(run.info)).map(async (artifact) => (await client.downloadArtifact(run.info, artifact)).toString('latin1')))),
    ]
    expect(haystacks.length).toBeGreaterThan(6)
    for (const secret of Object.values(planted)) {
      for (const text of haystacks) expect(text.includes(secret), `${secret} leaked`).toBe(false)
    }
  })
})

describe('model upload / list / show (real MLflow registry)', () => {
  const env = () => ({TRADAI_MLFLOW_TRACKING_URI: server.url, TRADAI_OUTBOX_DIR: outboxDir})

  it('uploads a folder to a new run, registers a version, and shows it', async () => {
    const model = tempDir('tradai-model-')
    mkdirSync(path.join(model, 'weights'))
    writeFileSync(path.join(model, 'MLmodel'), 'flavor: custom\n')
    const big = Buffer.alloc(3 * 1024 * 1024, 7)
    writeFileSync(path.join(model, 'weights', 'w.bin'), big)
    const cli = await runCli(['model', 'upload', model, '--strategy', 'SampleRsiStrategy', '--name', 'rsi-model', '--json'], {env: env()})
    expect(cli.code, cli.stderr).toBe(0)
    const uploaded = json<{name: string; version: string; runId: string; files: number; bytes: number; source: string}>(cli)
    expect(uploaded).toMatchObject({name: 'rsi-model', version: '1', files: 2, bytes: big.length + 15})
    expect(schemaErrors('model-upload', uploaded)).toEqual([])
    const run = await client.getRun(uploaded.runId)
    expect((await client.downloadArtifact(run.info, 'model/weights/w.bin')).equals(big)).toBe(true)

    const shown = await runCli(['model', 'show', 'rsi-model', '--json'], {env: env()})
    expect(shown.code, shown.stderr).toBe(0)
    expect(schemaErrors('model-show', json(shown))).toEqual([])
    expect(json(shown)).toMatchObject({name: 'rsi-model', latestVersion: '1', versions: [{version: '1', runId: uploaded.runId, source: uploaded.source}]})

    const human = await runCli(['model', 'show', 'rsi-model'], {env: env()})
    expect(human.stdout).toContain(uploaded.runId)

    const listed = await runCli(['model', 'list', '--json'], {env: env()})
    expect(listed.code, listed.stderr).toBe(0)
    expect(schemaErrors('model-list', json(listed))).toEqual([])
    const models = json<{models: Array<{name: string; versions: unknown[]}>}>(listed).models
    expect(models.find((m) => m.name === 'rsi-model')?.versions).toHaveLength(1)
  })

  it('attaches to an existing run with --run; an unknown run, model or version is exit 5', async () => {
    const file = path.join(tempDir('tradai-model-'), 'model.pkl')
    writeFileSync(file, 'pickle')
    const first = json<{runId: string}>(await runCli(['model', 'upload', file, '--strategy', 'SampleRsiStrategy', '--json'], {env: env()}))
    const attached = await runCli(['model', 'upload', file, '--strategy', 'SampleRsiStrategy', '--run', first.runId, '--json'], {env: env()})
    expect(attached.code, attached.stderr).toBe(0)
    expect(json(attached)).toMatchObject({runId: first.runId, name: 'SampleRsiStrategy', version: '2'})

    const noRun = await runCli(['model', 'upload', file, '--strategy', 'SampleRsiStrategy', '--run', '0123456789abcdef0123456789abcdef', '--json'], {env: env()})
    expect(noRun.code).toBe(5)
    expect(json<{error: {code: string}}>(noRun).error.code).toBe('RUN_NOT_FOUND')
    expect(schemaErrors('error', json(noRun))).toEqual([])
    const noModel = await runCli(['model', 'show', 'NoSuchModel'], {env: env()})
    expect(noModel.code).toBe(5)
    expect(noModel.stderr).toContain('No registered model "NoSuchModel"')
    const noVersion = await runCli(['model', 'show', 'SampleRsiStrategy', '--version', '99', '--json'], {env: env()})
    expect(noVersion.code).toBe(5)
    const noPath = await runCli(['model', 'upload', '/nonexistent/model', '--strategy', 'X', '--json'], {env: env()})
    expect(noPath.code).toBe(5)
  })

  it('a command that needs the server exits 4 with a clear message when it is unreachable', async () => {
    const cli = await runCli(['model', 'list', '--json']) // the helper points tracking at 127.0.0.1:9
    expect(cli.code).toBe(4)
    expect(json<{error: {code: string; message: string}}>(cli).error).toMatchObject({
      code: 'TRACKING_UNREACHABLE',
      message: expect.stringContaining('127.0.0.1:9 refused the connection'),
    })
  })
})
