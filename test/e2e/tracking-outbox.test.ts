import {spawn} from 'node:child_process'
import {cpSync, existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'

import {MlflowClient} from '../../src/engines/mlflow/client.js'
import {json, runCli} from '../helpers/cli.js'
import {schemaErrors} from '../helpers/json-schema.js'
import {freePort} from '../helpers/mlflow-server.js'
import {ENGINE_DIR, fixtureUserData, REPO, tempDir} from '../helpers/paths.js'

/**
 * Nothing lost: a backtest while MLflow is down is queued; `tradai tracking start` brings up a
 * REAL server; `tradai tracking sync` logs the run exactly once, however often it is repeated
 * or killed midway. Also covers tracking start/status/stop on the way.
 */
const port = await freePort()
const url = `http://127.0.0.1:${port}`
const outboxDir = tempDir('tradai-outbox-')
const serverDir = tempDir('tradai-mlflow-')
const env = {TRADAI_MLFLOW_TRACKING_URI: url, TRADAI_OUTBOX_DIR: outboxDir, TRADAI_MLFLOW_DIR: serverDir}
const client = new MlflowClient({uri: url})
const entries = () => readdirSync(outboxDir).filter((name) => !name.startsWith('.'))

afterAll(async () => {
  // Whatever happened above, leave no server behind.
  await runCli(['tracking', 'stop'], {env})
})

async function runsTagged(clientRunId: string): Promise<number> {
  const experiment = await client.getExperimentByName('SampleRsiStrategy')
  if (!experiment) return 0
  return (await client.searchRuns({experimentIds: [experiment.experiment_id], filter: `tags.\`tradai.clientRunId\` = '${clientRunId}'`})).length
}

describe('outbox → sync (real MLflow server)', () => {
  let backtest: {runId: string; metrics: Record<string, number | null>; tracking: {status: string; runId: null; url: null; outboxEntry: string}}
  const backup = tempDir('tradai-outbox-copy-')

  it('server down: the backtest still exits 0, warns, and reports tracking.status "queued"', async () => {
    const cli = await runCli(['strategy', 'backtest', '--strategy', 'SampleRsiStrategy', '--user-data-dir', fixtureUserData(), '--pairs', 'ETH/BTC', '--json'], {env})
    expect(cli.code, cli.stderr).toBe(0)
    backtest = json(cli)
    expect(backtest.tracking).toMatchObject({status: 'queued', runId: null, url: null})
    expect(schemaErrors('tracking-outcome', backtest.tracking)).toEqual([])
    expect(cli.stderr).toContain('refused the connection')
    expect(cli.stderr).toContain('tradai tracking sync')
    expect(entries()).toEqual([backtest.runId])
    const queued = JSON.parse(readFileSync(path.join(outboxDir, backtest.runId, 'run.json'), 'utf8')) as {
      artifacts: Array<{file: string}>
      metrics: Array<{key: string; value: number}>
    }
    expect(queued.artifacts.length).toBeGreaterThanOrEqual(6)
    for (const artifact of queued.artifacts) expect(existsSync(path.join(outboxDir, backtest.runId, artifact.file))).toBe(true)
    cpSync(path.join(outboxDir, backtest.runId), path.join(backup, backtest.runId), {recursive: true})
  })

  it('status with the server down: exit 4, not reachable, one run waiting', async () => {
    const cli = await runCli(['tracking', 'status', '--json'], {env})
    expect(cli.code, cli.stderr).toBe(4)
    expect(json(cli)).toMatchObject({url, reachable: false, local: {running: false}, outbox: {dir: outboxDir, count: 1}})
    expect(schemaErrors('tracking-status', json(cli))).toEqual([])
  })

  it('sync with the server down exits 4 and keeps the run queued', async () => {
    const cli = await runCli(['tracking', 'sync', '--json'], {env})
    expect(cli.code).toBe(4)
    expect(json<{error: {code: string; message: string}}>(cli).error).toMatchObject({code: 'TRACKING_SYNC_FAILED'})
    expect(schemaErrors('error', json(cli))).toEqual([])
    expect(entries()).toHaveLength(1)
  })

  it('tracking start brings up a real server, idempotently', {timeout: 400_000}, async () => {
    const first = await runCli(['tracking', 'start', '--port', String(port), '--json'], {env})
    expect(first.code, first.stderr).toBe(0)
    const started = json<{url: string; pid: number; started: boolean; version: string}>(first)
    expect(started).toMatchObject({url, started: true})
    expect(schemaErrors('tracking-start', started)).toEqual([])
    expect(started.version).toMatch(/^3\./)
    const again = await runCli(['tracking', 'start', '--port', String(port), '--json'], {env})
    expect(again.code, again.stderr).toBe(0)
    expect(json(again)).toMatchObject({url, pid: started.pid, started: false})
    const status = json<{local: {uptimeSeconds: number}}>(await runCli(['tracking', 'status', '--json'], {env}))
    expect(status).toMatchObject({url, reachable: true, version: started.version, local: {running: true, pid: started.pid}, outbox: {count: 1}})
    expect(status.local.uptimeSeconds).toBeGreaterThanOrEqual(0)
  })

  it('later commands use the URL it serves, without a flag or variable: config show, status, a tracked backtest', {timeout: 300_000}, async () => {
    const remembered = {...env, TRADAI_MLFLOW_TRACKING_URI: '', STRATEGY_SERVICE_MLFLOW_TRACKING_URI: '', MLFLOW_TRACKING_URI: ''}
    const shown = json<{entries: Array<{key: string; value: unknown; source: string; sourceKind: string}>}>(await runCli(['config', 'show', '--json'], {env: remembered}))
    expect(schemaErrors('config-show', shown)).toEqual([])
    expect(shown.entries.find((entry) => entry.key === 'tracking.uri')).toMatchObject({
      value: url,
      source: `tracking start (${path.join(serverDir, 'server.json')})`,
      sourceKind: 'server',
    })
    const status = await runCli(['tracking', 'status', '--json'], {env: remembered})
    expect(status.code, status.stderr).toBe(0)
    expect(json(status)).toMatchObject({url, trackingUri: url, reachable: true})
    const args = [
      'strategy',
      'backtest',
      '--strategy',
      'SampleRsiStrategy',
      '--user-data-dir',
      fixtureUserData(),
      '--pairs',
      'ETH/BTC',
      '--timerange',
      '20180110-20180112',
      '--json',
    ]
    const tracked = await runCli(args, {env: remembered})
    expect(tracked.code, tracked.stderr).toBe(0)
    const result = json<{runId: string; tracking: {status: string; url: string}}>(tracked)
    expect(result.tracking.status).toBe('logged')
    expect(result.tracking.url.startsWith(url)).toBe(true)
    expect(await runsTagged(result.runId)).toBe(1)
    // Logged directly: the outbox still holds only the run queued while the server was down.
    expect(entries()).toEqual([backtest.runId])
  })

  it('sync logs the queued run exactly once, with the --json metrics; a second sync adds nothing', async () => {
    const cli = await runCli(['tracking', 'sync', '--json'], {env})
    expect(cli.code, cli.stderr).toBe(0)
    const result = json<{synced: Array<{clientRunId: string; runId: string}>; remaining: number}>(cli)
    expect(schemaErrors('tracking-sync', result)).toEqual([])
    expect(result.synced.map((s) => s.clientRunId)).toEqual([backtest.runId])
    expect(result.remaining).toBe(0)
    expect(entries()).toEqual([])
    expect(await runsTagged(backtest.runId)).toBe(1)
    const run = await client.getRun(result.synced[0]!.runId)
    expect(run.info.status).toBe('FINISHED')
    const logged = Object.fromEntries((run.data.metrics ?? []).map((m) => [m.key, m.value]))
    for (const [key, value] of Object.entries(backtest.metrics)) if (typeof value === 'number') expect(logged[key], key).toBe(value)

    const second = await runCli(['tracking', 'sync', '--json'], {env})
    expect(second.code, second.stderr).toBe(0)
    expect(json(second)).toMatchObject({synced: [], remaining: 0})
    expect(await runsTagged(backtest.runId)).toBe(1)
  })

  it('a sync SIGKILLed while logging, then rerun, still yields exactly one run per queued backtest', async () => {
    // Several queued runs (copies of the real entry under new client run ids) so the kill lands mid-sync.
    const ids = Array.from({length: 5}, (_, i) => `${backtest.runId}-k${i}`)
    for (const id of ids) {
      const dir = path.join(outboxDir, id)
      cpSync(path.join(backup, backtest.runId), dir, {recursive: true})
      const runFile = path.join(dir, 'run.json')
      const run = JSON.parse(readFileSync(runFile, 'utf8')) as {clientRunId: string; runName: string; tags: Array<{key: string; value: string}>}
      run.clientRunId = id
      run.runName = id
      for (const tag of run.tags) if (tag.key === 'tradai.clientRunId' || tag.key === 'mlflow.runName') tag.value = id
      writeFileSync(runFile, JSON.stringify(run))
    }

    const journal = (id: string) => {
      try {
        return JSON.parse(readFileSync(path.join(outboxDir, id, 'journal.json'), 'utf8')) as {runId?: string; finished?: boolean}
      } catch {
        return undefined
      }
    }

    // Kill as soon as the first run exists on the server (its journal has a run id).
    const child = spawn(process.execPath, [path.join(REPO, 'bin/run.js'), 'tracking', 'sync', '--json'], {
      env: {...process.env, CI: 'true', TRADAI_ENGINE_DIR: ENGINE_DIR, ...env},
      stdio: 'ignore',
    })
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)))
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (ids.some((id) => journal(id)?.runId)) {
          clearInterval(timer)
          child.kill('SIGKILL')
          resolve()
        }
      }, 2)
      child.on('exit', () => {
        clearInterval(timer)
        reject(new Error('sync finished before it could be killed'))
      })
    })
    expect(await exited).toBe('SIGKILL')
    // Killed midway: runs remain queued, and at least one was created but not finished.
    expect(entries().length).toBeGreaterThan(0)
    expect(ids.some((id) => journal(id)?.runId && !journal(id)?.finished)).toBe(true)

    const rerun = await runCli(['tracking', 'sync', '--json'], {env})
    expect(rerun.code, rerun.stderr).toBe(0)
    expect(entries()).toEqual([])
    for (const id of ids) expect(await runsTagged(id), id).toBe(1)
    expect(await runsTagged(backtest.runId)).toBe(1)
  })

  it('tracking stop ends the server and its whole process tree; stopping again is fine', async () => {
    const {pid} = json<{local: {pid: number}}>(await runCli(['tracking', 'status', '--json'], {env})).local
    const cli = await runCli(['tracking', 'stop', '--json'], {env})
    expect(cli.code, cli.stderr).toBe(0)
    expect(json(cli)).toMatchObject({stopped: true, pid, url})
    expect(schemaErrors('tracking-stop', json(cli))).toEqual([])
    // No process of its group (uvicorn workers, job runner) survives.
    expect(() => process.kill(-pid, 0)).toThrow()
    expect(existsSync(path.join(serverDir, 'server.json'))).toBe(false)
    // Stopped: forgotten, the next command is back to the default URL.
    const forgotten = json<{entries: Array<{key: string; value: unknown; sourceKind: string}>}>(
      await runCli(['config', 'show', '--json'], {env: {...env, TRADAI_MLFLOW_TRACKING_URI: '', STRATEGY_SERVICE_MLFLOW_TRACKING_URI: '', MLFLOW_TRACKING_URI: ''}}),
    )
    expect(forgotten.entries.find((entry) => entry.key === 'tracking.uri')).toMatchObject({value: 'http://localhost:5000', sourceKind: 'default'})
    const again = await runCli(['tracking', 'stop', '--json'], {env})
    expect(again.code).toBe(0)
    expect(json(again)).toMatchObject({stopped: false})
  })
})
