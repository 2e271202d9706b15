// Shadow trading (issue 10): replay speed (virtual time / wall time of the bot's loop, one
// foreground replay of 1 day on 2 pairs) and the wall of `shadow report --no-record` (db read +
// drift backtest) against a plain `strategy backtest --no-track` of the same window and pairs.
// Needs a registry: a local MLflow server from `tracking start`, torn down at the end.
import {spawnSync} from 'node:child_process'
import {mkdtempSync} from 'node:fs'
import {createServer} from 'node:net'
import {tmpdir} from 'node:os'
import path from 'node:path'

import {fixtureUserData, measure, median, PY_ENV, REPO} from './lib.mjs'

const RUNS = Number(process.env.BENCH_RUNS ?? 3)
const temp = (prefix) => mkdtempSync(path.join(tmpdir(), prefix))
const WINDOW = ['--pairs', 'ETH/BTC', 'LTC/BTC', '--timerange', '20180115-20180116']

async function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const {port} = server.address()
      server.close(() => resolve(port))
    })
  })
}

export async function bench() {
  const port = await freePort()
  const userData = fixtureUserData()
  const env = {
    ...PY_ENV,
    TRADAI_MLFLOW_TRACKING_URI: `http://127.0.0.1:${port}`,
    TRADAI_OUTBOX_DIR: temp('tradai-bench-outbox-'),
    TRADAI_MLFLOW_DIR: temp('tradai-bench-mlflow-'),
    TRADAI_SHADOW_DIR: temp('tradai-bench-shadow-'),
    TRADAI_USER_DATA_DIR: userData,
  }
  const cli = (args) => spawnSync(process.execPath, [path.join(REPO, 'bin/run.js'), ...args], {env, encoding: 'utf8'})
  const started = cli(['tracking', 'start', '--port', String(port), '--json'])
  if (started.status !== 0) throw new Error(`tracking start failed:\n${started.stdout}${started.stderr}`)
  try {
    const registered = cli(['strategy', 'register', 'SampleRsiStrategy', '--json'])
    if (registered.status !== 0) throw new Error(`register failed:\n${registered.stdout}${registered.stderr}`)
    const shadow = cli(['shadow', 'start', 'SampleRsiStrategy', '--replay', '--foreground', ...WINDOW, '--json'])
    if (shadow.status !== 0) throw new Error(`shadow start failed:\n${shadow.stdout}${shadow.stderr}`)
    const session = JSON.parse(shadow.stdout).session.id
    const reports = []
    const backtests = []
    for (let i = 0; i < RUNS; i++) {
      backtests.push(await measure(process.execPath, ['bin/run.js', 'strategy', 'backtest', '--strategy', 'SampleRsiStrategy', ...WINDOW, '--no-track'], {env}))
      reports.push(await measure(process.execPath, ['bin/run.js', 'shadow', 'report', session, '--no-record', '--json'], {env}))
    }

    const timing = JSON.parse(reports.at(-1).stdout).timing
    const report = median(reports.map((r) => r.seconds))
    const backtest = median(backtests.map((r) => r.seconds))
    return [
      `| shadow replay speed (1 day, 2 pairs, bot loop virtual/wall) | ${timing.speed.toFixed(0)}× (${timing.wallSeconds.toFixed(1)} s) | real time | – | ≥ 1000× |`,
      `| shadow report --no-record vs strategy backtest --no-track (same window), medians | ${report.toFixed(3)} s | ${backtest.toFixed(3)} s | ${(report / backtest).toFixed(2)}× | ≤ 1.2× |`,
    ]
  } finally {
    cli(['tracking', 'stop'])
  }
}
