// The HTTP front (issue 12): the same backtest through `tradai serve` (POST /v1/backtests, then
// the job polled to its end) and through the CLI, interleaved; then /health latency while
// backtest jobs keep the pool (maxConcurrentJobs 2) busy, and the server's peak RSS.
import {spawn} from 'node:child_process'
import {mkdtempSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {performance} from 'node:perf_hooks'

import {fixtureUserData, measure, median, PY_ENV, REPO} from './lib.mjs'

const RUNS = Number(process.env.BENCH_RUNS ?? 5)
const LOAD_JOBS = Number(process.env.BENCH_SERVE_JOBS ?? 6)
const TOKEN = 'bench-serve-token'
const temp = (prefix) => mkdtempSync(path.join(tmpdir(), prefix))

async function startServe(env) {
  const child = spawn(process.execPath, [path.join(REPO, 'bin/run.js'), 'serve', '--host', '127.0.0.1', '--port', '0'], {
    cwd: temp('tradai-bench-serve-'),
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  const url = await new Promise((resolve, reject) => {
    let text = ''
    child.stderr.on('data', (chunk) => {
      text += chunk
      const match = /"msg":"listening","url":"([^"]+)"/.exec(text)
      if (match) resolve(match[1])
    })
    child.on('close', (code) => reject(new Error(`tradai serve exited ${code}:\n${text}`)))
  })
  return {child, url}
}

async function call(url, method, route, body) {
  const response = await fetch(`${url}${route}`, {
    method,
    headers: {authorization: `Bearer ${TOKEN}`, ...(body ? {'content-type': 'application/json'} : {})},
    body: body ? JSON.stringify(body) : undefined,
  })
  return {status: response.status, body: await response.json()}
}

async function runJob(url, request) {
  const submitted = await call(url, 'POST', '/v1/backtests', request)
  if (submitted.status !== 202) throw new Error(`POST /v1/backtests: ${submitted.status} ${JSON.stringify(submitted.body)}`)
  for (;;) {
    const {body} = await call(url, 'GET', `/v1/jobs/${submitted.body.jobId}`)
    if (body.status === 'succeeded') return body
    if (body.status === 'failed' || body.status === 'cancelled') throw new Error(`job ${body.status}: ${JSON.stringify(body.error)}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

export async function bench() {
  const userData = fixtureUserData()
  const env = {
    ...PY_ENV,
    TRADAI_STRATEGIES_DIR: path.join(REPO, 'strategies'),
    TRADAI_USER_DATA_DIR: userData,
    TRADAI_TRACKING: 'false',
    TRADAI_API_TOKEN: TOKEN,
    TRADAI_JOBS_DIR: temp('tradai-bench-jobs-'),
    TRADAI_SERVER_MAX_JOBS: '2',
  }
  const {child, url} = await startServe(env)
  try {
    const request = {strategy: 'SampleRsiStrategy', pairs: ['ETH/BTC'], timerange: '20180110-20180120'}
    const api = async () => {
      const started = process.hrtime.bigint()
      const job = await runJob(url, request)
      return {seconds: Number(process.hrtime.bigint() - started) / 1e9, trades: job.result.metrics.totalTrades}
    }
    const cli = async () => {
      const run = await measure(
        process.execPath,
        ['bin/run.js', 'strategy', 'backtest', '--strategy', 'SampleRsiStrategy', '--pairs', 'ETH/BTC', '--timerange', request.timerange, '--no-track', '--json'],
        {env},
      )
      return {seconds: run.seconds, trades: JSON.parse(run.stdout).metrics.totalTrades}
    }

    await api() // warm-up: file cache, first engine start
    const apiRuns = []
    const cliRuns = []
    for (let i = 0; i < RUNS; i++) {
      apiRuns.push(await api())
      cliRuns.push(await cli())
    }

    if (apiRuns.some((run) => run.trades !== cliRuns[0].trades)) throw new Error('API and CLI backtests disagree on totalTrades')

    // /health while LOAD_JOBS backtests queue on a pool of 2.
    const latencies = []
    let peakRss = 0
    const jobs = Promise.all(Array.from({length: LOAD_JOBS}, () => runJob(url, {...request, timerange: '20180110-20180113'})))
    let finished = false
    void jobs.finally(() => (finished = true))
    while (!finished) {
      const t0 = performance.now()
      await fetch(`${url}/health`)
      latencies.push(performance.now() - t0)
      peakRss = Math.max(peakRss, Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024)
      await new Promise((resolve) => setTimeout(resolve, 50))
    }

    await jobs
    const sorted = [...latencies].sort((a, b) => a - b)
    const p99 = sorted[Math.min(sorted.length - 1, Math.ceil(0.99 * sorted.length) - 1)]
    const apiMedian = median(apiRuns.map((run) => run.seconds))
    const cliMedian = median(cliRuns.map((run) => run.seconds))
    return [
      `| backtest via API (POST → job succeeded) vs CLI, 1 pair 10 days, medians | ${apiMedian.toFixed(3)} s | ${cliMedian.toFixed(3)} s | ${(apiMedian / cliMedian).toFixed(2)}× | ≤ 1.05× |`,
      `| /health p99 while ${LOAD_JOBS} backtest jobs run (pool 2), ${latencies.length} probes | ${p99.toFixed(1)} ms | – | – | < 100 ms |`,
      `| tradai serve peak RSS during that load (server process only) | ${peakRss.toFixed(0)} MiB | – | – | bounded |`,
    ]
  } finally {
    child.kill('SIGTERM')
  }
}
