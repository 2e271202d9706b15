import {execFileSync} from 'node:child_process'
import {readdirSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {MlflowClient} from '../../src/engines/mlflow/client.js'
import type {FileInfo, Run} from '../../src/engines/mlflow/schemas.js'
import {json, runCli, type CliResult} from '../helpers/cli.js'
import {startMlflowServer, type TestMlflowServer} from '../helpers/mlflow-server.js'
import {ENGINE_PYTHON, fixtureUserData, tempDir} from '../helpers/paths.js'

/**
 * Planted secrets against a REAL MLflow server (issue 9, "Must show"): a tracked backtest with
 * credentials in every source tradai reads (the environment, a Freqtrade config file, the
 * tracking URI's user-info) leaves none of them in MLflow (params, tags, metrics, every
 * artifact), the run folder, the outbox or any output, and neither does a run queued while the
 * server is unreachable and synced later.
 */
const DATA = ['--strategy', 'SampleRsiStrategy', '--pairs', 'ETH/BTC', '--timerange', '20180115-20180118']

const ENV_SECRETS = {
  MLFLOW_TRACKING_USERNAME: 'mlflow-user-pl4nted',
  MLFLOW_TRACKING_PASSWORD: 'mlflow-password-pl4nted',
  MLFLOW_TRACKING_TOKEN: 'mlflow-token-pl4nted',
  FREQTRADE__EXCHANGE__KEY: 'env-exchange-key-pl4nted',
  FREQTRADE__EXCHANGE__SECRET: 'env-exchange-secret-pl4nted',
  BINANCE_API_SECRET: 'binance-secret-pl4nted',
  FOO_SECRET: 'foo-secret-pl4nted',
  TRADAI_GATE_KEY: 'gate-key-pl4nted-0123456789abcdef',
}
const FILE_KEY = 'file-exchange-key-pl4nted'
const FILE_SECRET = 'file-exchange-secret-pl4nted'
const FILE_PASSWORD = 'file-exchange-password-pl4nted'
const URI_USER = 'uri-user-pl4nted'
const URI_PASS = 'uri-pass-pl4nted'
const PLANTED = [...Object.values(ENV_SECRETS), FILE_KEY, FILE_SECRET, FILE_PASSWORD, URI_PASS]

/**
 * A file's searchable text: latin1, so binary files are searched byte for byte, and for a zip
 * (Freqtrade's backtest export) the uncompressed text of every member, which compression hides.
 */
function searchable(name: string, bytes: Buffer): string {
  if (!name.endsWith('.zip')) return bytes.toString('latin1')
  const members = execFileSync(
    ENGINE_PYTHON,
    [
      '-c',
      'import io,sys,zipfile\nz=zipfile.ZipFile(io.BytesIO(sys.stdin.buffer.read()))\nfor n in z.namelist():\n    sys.stdout.buffer.write(n.encode()+b"\\n"+z.read(n)+b"\\n")\n',
    ],
    {input: bytes},
  )
  return members.toString('latin1')
}

/** Every file under `dir` (recursively), searchable. */
function filesUnder(dir: string): Array<{file: string; text: string}> {
  return readdirSync(dir, {recursive: true, withFileTypes: true})
    .filter((entry) => entry.isFile())
    .map((entry) => ({file: path.join(entry.parentPath, entry.name), text: searchable(entry.name, readFileSync(path.join(entry.parentPath, entry.name)))}))
}

/** The planted values found in `text` (an empty list is the pass). */
const leaks = (text: string) => PLANTED.filter((value) => text.includes(value))

describe('planted secrets never reach MLflow, run folders, the outbox or output (real MLflow)', {timeout: 600_000}, () => {
  let server: TestMlflowServer
  let client: MlflowClient
  let freqtradeConfig: string
  let outboxDir: string
  let outputDir: string
  const withUserInfo = (url: string) => url.replace('http://', `http://${URI_USER}:${URI_PASS}@`)

  /** Every record of a run MLflow holds: the run (params, tags, metrics) and each artifact's bytes. */
  async function everythingOf(runId: string): Promise<{record: string; artifacts: Array<{file: string; text: string}>}> {
    const run: Run = await client.getRun(runId)
    const artifacts: Array<{file: string; text: string}> = []
    const walk = async (folder: string): Promise<void> => {
      for (const entry of await client.listArtifacts(run.info, folder)) {
        if ((entry as FileInfo).is_dir) await walk(entry.path)
        else artifacts.push({file: entry.path, text: searchable(entry.path, await client.downloadArtifact(run.info, entry.path))})
      }
    }

    await walk('')
    return {record: JSON.stringify(run), artifacts}
  }

  const expectClean = (result: CliResult) => {
    expect(leaks(result.stdout), 'stdout').toEqual([])
    expect(leaks(result.stderr), 'stderr').toEqual([])
  }

  beforeAll(async () => {
    server = await startMlflowServer({timeoutMs: 600_000})
    client = new MlflowClient({uri: server.url})
    // The user's own Freqtrade config with exchange credentials, as `freqtrade -c` takes it.
    freqtradeConfig = path.join(tempDir('tradai-ftconfig-'), 'config.json')
    writeFileSync(
      freqtradeConfig,
      JSON.stringify({bot_name: 'secrets-probe-bot', exchange: {name: 'binance', key: FILE_KEY, secret: FILE_SECRET, password: FILE_PASSWORD}}, null, 2),
    )
    outboxDir = tempDir('tradai-secrets-outbox-')
    outputDir = tempDir('tradai-secrets-runs-')
  }, 660_000)

  afterAll(async () => {
    await server?.stop()
  })

  const backtest = (tracking: string) =>
    runCli(['strategy', 'backtest', ...DATA, '--user-data-dir', fixtureUserData(), '--freqtrade-config', freqtradeConfig, '--output-dir', outputDir, '--json', '--verbose'], {
      env: {...ENV_SECRETS, TRADAI_MLFLOW_TRACKING_URI: withUserInfo(tracking), TRADAI_OUTBOX_DIR: outboxDir, TRADAI_TRACKING_TIMEOUT: '5'},
    })

  it('a tracked backtest: none of the planted values in its MLflow params, tags, metrics or artifacts, its run folder or its output', async () => {
    const result = await backtest(server.url)
    expect(result.code, result.stderr).toBe(0)
    const doc = json<{runDir: string; tracking: {status: string; runId: string}}>(result)
    expect(doc.tracking.status).toBe('logged')
    expectClean(result)

    const {record, artifacts} = await everythingOf(doc.tracking.runId)
    // The run is really recorded (so the search below has something to search).
    expect(record).toContain('SampleRsiStrategy')
    expect(artifacts.map((artifact) => artifact.file)).toEqual(expect.arrayContaining(['freqtrade/config.json', expect.stringMatching(/^freqtrade\/backtest-result-.*\.zip$/)]))
    expect(leaks(record), 'the MLflow run record').toEqual([])
    for (const artifact of artifacts) expect(leaks(artifact.text), `MLflow artifact ${artifact.file}`).toEqual([])
    // The user-info of the tracking URI is no tag or param either.
    expect(record).not.toContain(URI_USER)

    const folder = filesUnder(doc.runDir)
    expect(folder.length).toBeGreaterThan(3)
    for (const {file, text} of folder) expect(leaks(text), file).toEqual([])
    // The Freqtrade config file was read into the run (so the searches above were not vacuous), its credentials blanked.
    const runConfig = JSON.parse(readFileSync(path.join(doc.runDir, 'config.json'), 'utf8')) as {bot_name: string}
    expect(runConfig.bot_name).toBe('secrets-probe-bot')
    const zipped = folder.find(({file}) => file.endsWith('.zip'))
    expect(zipped?.text, 'the export zip was searched uncompressed').toContain('SampleRsiStrategy')
  })

  it('a run queued while MLflow is unreachable holds none in its outbox entry; synced later, none reach MLflow', async () => {
    const queued = await backtest('http://127.0.0.1:9')
    expect(queued.code, queued.stderr).toBe(0)
    const doc = json<{runDir: string; tracking: {status: string; outboxEntry: string}}>(queued)
    expect(doc.tracking.status).toBe('queued')
    expectClean(queued)
    const entry = filesUnder(doc.tracking.outboxEntry)
    expect(entry.length).toBeGreaterThan(3)
    for (const {file, text} of entry) expect(leaks(text), file).toEqual([])
    for (const {file, text} of filesUnder(doc.runDir)) expect(leaks(text), file).toEqual([])

    const sync = await runCli(['tracking', 'sync', '--json', '--verbose'], {
      env: {...ENV_SECRETS, TRADAI_MLFLOW_TRACKING_URI: withUserInfo(server.url), TRADAI_OUTBOX_DIR: outboxDir},
    })
    expect(sync.code, sync.stderr).toBe(0)
    expectClean(sync)
    const [synced] = json<{synced: Array<{runId: string}>}>(sync).synced
    const {record, artifacts} = await everythingOf(synced!.runId)
    expect(artifacts.length).toBeGreaterThan(3)
    expect(leaks(record), 'the synced MLflow run record').toEqual([])
    for (const artifact of artifacts) expect(leaks(artifact.text), `synced MLflow artifact ${artifact.file}`).toEqual([])
  })
})
