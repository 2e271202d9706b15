import {spawn} from 'node:child_process'
import {mkdirSync, readFileSync, symlinkSync} from 'node:fs'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {schemaErrors} from '../helpers/json-schema.js'
import {startMlflowServer, type TestMlflowServer} from '../helpers/mlflow-server.js'
import {ENGINE_DIR, FIXTURES, REPO, tempDir} from '../helpers/paths.js'
import {processesIn, waitFor} from '../helpers/processes.js'

/**
 * The image's entrypoint without a container daemon (none on this machine): the same command
 * the Dockerfile runs (deploy/container-entrypoint.sh under tini), under `env -i` with only the
 * variables the image and a task definition set, from a READ-ONLY view of the project (a
 * read-only bind mount in a private mount namespace) and one writable data folder.
 */
const TINI = '/usr/bin/tini'

interface Run {
  code: number | null
  stdout: string
  stderr: string
}

describe('container entrypoint (no container daemon: namespaces instead)', () => {
  let mlflow: TestMlflowServer
  let data: string
  let view: string
  let work: string

  beforeAll(async () => {
    // A busy shared machine can take minutes to start MLflow.
    mlflow = await startMlflowServer({timeoutMs: 840_000})
    data = tempDir('tradai-container-data-')
    mkdirSync(path.join(data, 'user_data', 'data'), {recursive: true})
    symlinkSync(FIXTURES, path.join(data, 'user_data', 'data', 'binance'))
    view = tempDir('tradai-container-app-')
    work = tempDir('tradai-container-work-')
  }, 900_000)

  afterAll(async () => {
    await mlflow?.stop()
  })

  /** What the Dockerfile's ENV and the ECS task definition set: nothing else reaches the process. */
  const imageEnv = () => {
    const engineInView = ENGINE_DIR.startsWith(`${REPO}/`) ? path.join(view, path.relative(REPO, ENGINE_DIR)) : ENGINE_DIR
    return {
      PATH: `${path.dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`,
      NODE_ENV: 'production',
      HOME: data,
      TMPDIR: path.join(data, 'tmp'),
      PYTHONDONTWRITEBYTECODE: '1',
      TRADAI_ENGINE_DIR: engineInView,
      TRADAI_ENGINE_AUTO_SETUP: 'false',
      TRADAI_STRATEGIES_DIR: path.join(view, 'strategies'),
      TRADAI_USER_DATA_DIR: path.join(data, 'user_data'),
      TRADAI_OUTBOX_DIR: path.join(data, 'outbox'),
      TRADAI_JOBS_DIR: path.join(data, 'jobs'),
      TRADAI_MLFLOW_DIR: path.join(data, 'mlflow'),
      TRADAI_USER: 'ecs-task',
      STRATEGY_SERVICE_HOST: '0.0.0.0',
      STRATEGY_SERVICE_PORT: '8003',
      STRATEGY_SERVICE_MLFLOW_TRACKING_URI: mlflow.url,
    }
  }

  /**
   * `unshare` (a private mount namespace; with `pid`, a PID namespace too, so the first process
   * is PID 1) → a read-only bind mount of the project → `env -i` → the image's entrypoint.
   */
  const launch = (tradaiArgs: string[], options: {pid1: boolean}) => {
    const quote = (value: string) => `'${value.replaceAll("'", "'\\''")}'`
    const env = Object.entries(imageEnv()).map(([name, value]) => quote(`${name}=${value}`))
    const entrypoint = [...(options.pid1 ? [TINI, '--'] : []), path.join(view, 'deploy/container-entrypoint.sh'), ...tradaiArgs].map(quote)
    const script = [
      `mount --bind ${quote(REPO)} ${quote(view)}`,
      `mount -o remount,bind,ro ${quote(view)}`,
      // The view must really be read-only, or the test proves nothing.
      `if touch ${quote(path.join(view, '.write-probe'))} 2>/dev/null; then echo 'project view is writable' >&2; exit 99; fi`,
      `exec env -i ${env.join(' ')} ${entrypoint.join(' ')}`,
    ].join(' && ')
    const flags = options.pid1 ? ['--pid', '--fork', '--mount-proc'] : ['--mount', '--fork']
    const child = spawn('unshare', [...flags, '--', 'sh', '-c', script], {cwd: work, stdio: ['ignore', 'pipe', 'pipe']})
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const done = new Promise<Run>((resolve) => child.on('close', (code) => resolve({code, stdout, stderr})))
    return {child, done, stderr: () => stderr}
  }

  it('runs `strategy backtest --json` under env -i from a read-only project with one writable data folder', {timeout: 900_000}, async () => {
    const {done} = launch(['strategy', 'backtest', '--strategy', 'SampleRsiStrategy', '--pairs', 'ETH/BTC', '--timerange', '20180110-20180113', '--json'], {pid1: false})
    const run = await done
    expect(run.code, run.stderr).toBe(0)
    const result = JSON.parse(run.stdout) as {metrics: {totalTrades: number}; runDir: string; tracking: {status: string}}
    expect(schemaErrors('strategy-backtest', result)).toEqual([])
    expect(result.metrics.totalTrades).toBeGreaterThan(0)
    // Everything written went to the data folder; the run reached MLflow through the platform's variable.
    expect(result.runDir.startsWith(path.join(data, 'user_data'))).toBe(true)
    expect(result.tracking.status).toBe('logged')
  })

  it('as PID 1 under tini in a new PID namespace: SIGTERM mid-backtest exits 143 and leaves no process', {timeout: 900_000}, async () => {
    expect(readFileSync(TINI).length, 'Debian tini is installed (.ci/run installs it)').toBeGreaterThan(0)
    const {child, done, stderr} = launch(
      ['strategy', 'backtest', '--strategy', 'SampleRsiStrategy', '--pairs', 'ETH/BTC', 'LTC/BTC', '--timerange', '20180110-20180130', '--no-track'],
      {pid1: true},
    )
    // tini is unshare's child (PID 1 inside); wait until the engine's Python is working under it.
    const engineRunning = () =>
      processesIn(work).some((pid) => {
        try {
          return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('tradai_engine')
        } catch {
          return false
        }
      })
    expect(await waitFor(engineRunning, 240_000, 100), stderr()).toBe(true)
    const tiniPid = Number(readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(/\s+/)[0])
    expect(readFileSync(`/proc/${tiniPid}/cmdline`, 'utf8').split('\0')[0]).toBe(TINI)
    process.kill(tiniPid, 'SIGTERM')
    const run = await done
    expect(run.code, run.stderr).toBe(143)
    expect(run.stderr).toMatch(/Terminated \(SIGTERM\)/)
    expect(processesIn(work)).toEqual([])
  })
})
