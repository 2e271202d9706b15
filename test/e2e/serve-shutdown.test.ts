import {copyFileSync} from 'node:fs'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {schemaErrors} from '../helpers/json-schema.js'
import {startMlflowServer, type TestMlflowServer} from '../helpers/mlflow-server.js'
import {fixtureUserData, STRATEGIES, tempDir} from '../helpers/paths.js'
import {processesIn, waitFor} from '../helpers/processes.js'
import {startServe, waitForJob, type ServeProcess} from '../helpers/serve.js'

/**
 * SIGTERM on a real `tradai serve` with work in flight: it stops accepting, gives running jobs
 * the grace period, stops the rest (their engine trees too) and exits 143; a restart lists the
 * finished job with its result and the interrupted ones as failed, with the reason.
 */
const TOKEN = 'e2e-shutdown-token-77aa'
const REQUEST = {strategy: 'SampleRsiStrategy', pairs: ['ETH/BTC'], timerange: '20180110-20180112', track: false}

describe('tradai serve shutdown', () => {
  let mlflow: TestMlflowServer
  let project: string
  let env: NodeJS.ProcessEnv
  const others = (server: ServeProcess) => processesIn(project).filter((pid) => pid !== server.pid)

  beforeAll(async () => {
    // A busy shared machine can take minutes to start MLflow.
    mlflow = await startMlflowServer({timeoutMs: 840_000})
    project = tempDir('tradai-shutdown-project-')
    const strategies = tempDir('tradai-shutdown-strategies-')
    copyFileSync(path.join(STRATEGIES, 'sample_rsi_strategy.py'), path.join(strategies, 'sample_rsi_strategy.py'))
    env = {
      TRADAI_MLFLOW_TRACKING_URI: mlflow.url,
      TRADAI_STRATEGIES_DIR: strategies,
      TRADAI_USER_DATA_DIR: fixtureUserData(),
      TRADAI_JOBS_DIR: tempDir('tradai-shutdown-jobs-'),
      TRADAI_OUTBOX_DIR: tempDir('tradai-shutdown-outbox-'),
      TRADAI_SERVER_MAX_JOBS: '1',
    }
  }, 900_000)

  afterAll(async () => {
    await mlflow?.stop()
  })

  it('lets a running job finish within the grace period: exit 0, result kept', {timeout: 900_000}, async () => {
    const server = await startServe({cwd: project, env: {...env, TRADAI_SERVER_GRACE_SECONDS: '600'}, token: TOKEN})
    const {body} = await server.call('POST', '/v1/backtests', REQUEST)
    expect(await waitFor(() => others(server).length > 0, 240_000)).toBe(true)
    const exit = await server.stop('SIGTERM')
    expect(exit.code, server.logLines().join('\n')).toBe(0)
    expect(others(server)).toEqual([])

    const restarted = await startServe({cwd: project, env, token: TOKEN})
    try {
      const job = await restarted.call('GET', `/v1/jobs/${body.jobId}`)
      expect(job.body.status, JSON.stringify(job.body.error)).toBe('succeeded')
      expect(job.body.result.metrics.totalTrades).toBeGreaterThan(0)
    } finally {
      await restarted.stop()
    }
  })

  it('stops what outlives the grace period: exit 143, no engine process, interrupted jobs marked after restart', {timeout: 900_000}, async () => {
    const server = await startServe({cwd: project, env: {...env, TRADAI_SERVER_GRACE_SECONDS: '1'}, token: TOKEN})
    const finished = (await server.call('POST', '/v1/backtests', REQUEST)).body.jobId as string
    expect((await waitForJob(server, finished)).status).toBe('succeeded')
    const running = (await server.call('POST', '/v1/backtests', {...REQUEST, timerange: '20180110-20180125'})).body.jobId as string
    const queued = (await server.call('POST', '/v1/backtests', REQUEST)).body.jobId as string
    expect(await waitFor(() => others(server).length > 0, 240_000)).toBe(true)
    expect((await server.call('GET', `/v1/jobs/${queued}`)).body.status).toBe('queued')

    const exit = await server.stop('SIGTERM')
    expect(exit.code, server.logLines().join('\n')).toBe(143)
    expect(others(server)).toEqual([])
    expect(server.logLines().some((line) => line.includes('"msg":"stopped","jobsStopped":2'))).toBe(true)

    const restarted = await startServe({cwd: project, env, token: TOKEN})
    try {
      const list = (await restarted.call('GET', '/v1/jobs')).body.jobs as Array<{id: string; status: string}>
      expect(list.map((job) => job.id)).toEqual(expect.arrayContaining([finished, running, queued]))
      const kept = (await restarted.call('GET', `/v1/jobs/${finished}`)).body
      expect(kept.status).toBe('succeeded')
      expect(schemaErrors('strategy-backtest', kept.result)).toEqual([])
      for (const id of [running, queued]) {
        const job = (await restarted.call('GET', `/v1/jobs/${id}`)).body
        expect(schemaErrors('serve-job', job)).toEqual([])
        expect(job.status).toBe('failed')
        expect(job.error).toMatchObject({code: 'INTERRUPTED', exitCode: 143})
        expect(job.error.message).toMatch(/shut down \(SIGTERM\)/)
      }
    } finally {
      await restarted.stop()
    }
  })
})
