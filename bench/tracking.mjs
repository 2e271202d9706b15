// Tracking overhead: the same backtest tracked (to a real MLflow server on loopback) and with
// --no-track, interleaved, N runs each; prints the medians and their difference (the issue's
// budget: ≤ 0.3 s). Usage: node bench/tracking.mjs [N=3]   (after `npm run build`)
import {spawnSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, symlinkSync} from 'node:fs'
import {createServer} from 'node:net'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const ENGINE_DIR = process.env.TRADAI_ENGINE_DIR ?? path.join(REPO, '.tradai/engine')
const N = Number(process.argv[2] ?? 3)
const temp = (prefix) => mkdtempSync(path.join(tmpdir(), prefix))

const port = await new Promise((resolve) => {
  const server = createServer().listen(0, '127.0.0.1', () => {
    const {port: free} = server.address()
    server.close(() => resolve(free))
  })
})
const url = `http://127.0.0.1:${port}`
const userData = temp('tradai-bench-ud-')
mkdirSync(path.join(userData, 'data'))
symlinkSync(path.resolve(REPO, '../shared/fixtures/market-data/binance'), path.join(userData, 'data', 'binance'))
const env = {...process.env, CI: 'true', TRADAI_ENGINE_DIR: ENGINE_DIR, TRADAI_MLFLOW_TRACKING_URI: url, TRADAI_OUTBOX_DIR: temp('tradai-bench-outbox-'), TRADAI_MLFLOW_DIR: temp('tradai-bench-mlflow-')}
const cli = (args) => spawnSync(process.execPath, [path.join(REPO, 'bin/run.js'), ...args], {env, encoding: 'utf8'})

const started = cli(['tracking', 'start', '--port', String(port), '--json'])
if (started.status !== 0) throw new Error(`tracking start failed:\n${started.stdout}${started.stderr}`)
try {
  let times
  const backtest = (track) => {
    // Human mode under CI=true: stderr has one line per stage with its duration, so the tracking
    // stage is timed exactly as well as the whole command (whose noise is seconds on a busy box).
    const args = ['strategy', 'backtest', '--strategy', 'SampleRsiStrategy', '--user-data-dir', userData, '--pairs', 'ETH/BTC', ...(track ? [] : ['--no-track'])]
    const t0 = process.hrtime.bigint()
    const result = cli(args)
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9
    if (result.status !== 0) throw new Error(`backtest failed:\n${result.stdout}${result.stderr}`)
    if (track !== result.stdout.includes('MLflow run: ')) throw new Error(`expected the run ${track ? '' : 'not '}to be logged:\n${result.stderr}`)
    const stage = /Record in MLflow \((\d+(?:\.\d+)?)s\)/.exec(result.stderr)
    if (track) times.stage.push(Number(stage?.[1] ?? Number.NaN))
    return seconds
  }

  times = {tracked: [], untracked: [], stage: []}
  backtest(true) // warm-up: creates the experiment, warms the OS file cache
  times.stage.length = 0
  for (let i = 0; i < N; i++) {
    // Interleaved, so machine load drifts affect both sides alike.
    times.untracked.push(backtest(false))
    times.tracked.push(backtest(true))
  }

  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
  const report = {
    runs: N,
    trackedMedianSeconds: +median(times.tracked).toFixed(3),
    untrackedMedianSeconds: +median(times.untracked).toFixed(3),
    overheadMedianSeconds: +(median(times.tracked) - median(times.untracked)).toFixed(3),
    trackingStageMedianSeconds: median(times.stage),
    tracked: times.tracked.map((t) => +t.toFixed(3)),
    untracked: times.untracked.map((t) => +t.toFixed(3)),
  }
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`)
} finally {
  cli(['tracking', 'stop'])
}
