import {readFileSync} from 'node:fs'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {json, runCli} from '../helpers/cli.js'
import {fixtureUserData, STRATEGIES, tempDir} from '../helpers/paths.js'
import {startServe, waitForJob, type ServeProcess} from '../helpers/serve.js'

/**
 * Load on loopback, bounded in count: N concurrent backtest jobs (default 20, TRADAI_SERVE_LOAD_JOBS to change; each tiny: 1 pair,
 * 2–3 days) against a pool of 2. All finish, each equal to its CLI twin, none lost; /health
 * keeps answering while they run. /health p99 and the server's peak RSS are measured and
 * printed (speed belongs to `npm run bench`: only very generous bounds are asserted).
 */
const JOBS = Number(process.env.TRADAI_SERVE_LOAD_JOBS ?? 20)
const TOKEN = 'e2e-load-token-5e1d'
const TIMERANGES = ['20180110-20180112', '20180112-20180114', '20180114-20180117', '20180117-20180119']

const rssKiB = (pid: number, field: 'VmRSS' | 'VmHWM') => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0)
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil((p / 100) * values.length) - 1)]!

describe(`tradai serve under load (${JOBS} backtest jobs, maxConcurrentJobs 2)`, () => {
  let server: ServeProcess
  let env: NodeJS.ProcessEnv

  beforeAll(async () => {
    env = {
      TRADAI_STRATEGIES_DIR: STRATEGIES,
      TRADAI_USER_DATA_DIR: fixtureUserData(),
      TRADAI_JOBS_DIR: tempDir('tradai-load-jobs-'),
      TRADAI_TRACKING: 'false',
      TRADAI_SERVER_MAX_JOBS: '2',
    }
    server = await startServe({cwd: tempDir('tradai-load-project-'), env, token: TOKEN})
  })

  afterAll(async () => {
    await server?.stop()
  })

  it('finishes every job, each equal to its CLI twin, with /health answering throughout', {timeout: 3_600_000}, async () => {
    const started = Date.now()
    const requests = Array.from({length: JOBS}, (_, index) => ({strategy: 'SampleRsiStrategy', pairs: ['ETH/BTC'], timerange: TIMERANGES[index % TIMERANGES.length]!}))
    const submitted = await Promise.all(requests.map((request) => server.call('POST', '/v1/backtests', request)))
    for (const answer of submitted) expect(answer.status, JSON.stringify(answer.body)).toBe(202)
    const ids = submitted.map((answer) => answer.body.jobId as string)
    expect(new Set(ids).size).toBe(JOBS)

    // While they run: /health latency and the server's memory, sampled.
    const latencies: number[] = []
    let peakRunning = 0
    let peakRss = 0
    let done = false
    const probe = (async () => {
      while (!done) {
        const t0 = performance.now()
        const health = await server.call('GET', '/health', undefined, {auth: false})
        latencies.push(performance.now() - t0)
        expect(health.status).toBe(200)
        peakRunning = Math.max(peakRunning, health.body.jobs.running)
        peakRss = Math.max(peakRss, rssKiB(server.pid, 'VmRSS'))
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    })()
    const jobs = await Promise.all(ids.map((id) => waitForJob(server, id, 3_400_000)))
    done = true
    await probe
    const apiWallS = (Date.now() - started) / 1000

    for (const job of jobs) expect(job.status, JSON.stringify(job.error)).toBe('succeeded')
    expect(peakRunning).toBeLessThanOrEqual(2)
    const listed = (await server.call('GET', '/v1/jobs')).body.jobs as Array<{id: string}>
    expect(listed.map((job) => job.id)).toEqual(expect.arrayContaining(ids))

    // The CLI twin of each distinct request: Freqtrade's same numbers.
    for (const timerange of TIMERANGES) {
      const cli = await runCli(['strategy', 'backtest', '--strategy', 'SampleRsiStrategy', '--pairs', 'ETH/BTC', '--timerange', timerange, '--no-track', '--json'], {env})
      expect(cli.code, cli.stderr).toBe(0)
      const twin = json<{metrics: {totalTrades: number; profitTotal: number}}>(cli).metrics
      for (const [index, job] of jobs.entries()) {
        if (requests[index]!.timerange !== timerange) continue
        expect(job.result.metrics.totalTrades).toBe(twin.totalTrades)
        expect(job.result.metrics.profitTotal).toBe(twin.profitTotal)
      }
    }

    const hwm = rssKiB(server.pid, 'VmHWM')
    const report = {
      jobs: JOBS,
      maxConcurrentJobs: 2,
      apiWallSeconds: Math.round(apiWallS),
      healthSamples: latencies.length,
      healthP50Ms: Math.round(percentile(latencies, 50) * 10) / 10,
      healthP99Ms: Math.round(percentile(latencies, 99) * 10) / 10,
      healthMaxMs: Math.round(Math.max(...latencies) * 10) / 10,
      serverPeakRssMiB: Math.round(Math.max(peakRss, hwm) / 1024),
    }
    process.stdout.write(`serve-load ${JSON.stringify(report)}\n`)
    // Very generous: a liveness probe on a shared 2-core machine must not take seconds; memory must not grow per job.
    expect(report.healthP99Ms).toBeLessThan(5000)
    expect(report.serverPeakRssMiB).toBeLessThan(1024)
  })
})
