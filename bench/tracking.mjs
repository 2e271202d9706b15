// Tracking overhead (issue 3): the same backtest tracked to a real MLflow server on loopback and
// with --no-track, interleaved. The figure is the median of the paired differences (tracked run i
// minus untracked run i), which drifting machine load affects least; the tracking stage's own
// duration (from the CI-mode stage lines on stderr) is shown beside it.
import {spawnSync} from 'node:child_process'
import {mkdtempSync} from 'node:fs'
import {createServer} from 'node:net'
import {tmpdir} from 'node:os'
import path from 'node:path'

import {fixtureUserData, measure, median, PY_ENV, REPO} from './lib.mjs'

const RUNS = Number(process.env.BENCH_RUNS ?? 5)
const temp = (prefix) => mkdtempSync(path.join(tmpdir(), prefix))

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
  const env = {...PY_ENV, TRADAI_MLFLOW_TRACKING_URI: `http://127.0.0.1:${port}`, TRADAI_OUTBOX_DIR: temp('tradai-bench-outbox-'), TRADAI_MLFLOW_DIR: temp('tradai-bench-mlflow-')}
  const cli = (args) => spawnSync(process.execPath, [path.join(REPO, 'bin/run.js'), ...args], {env, encoding: 'utf8'})
  const started = cli(['tracking', 'start', '--port', String(port), '--json'])
  if (started.status !== 0) throw new Error(`tracking start failed:\n${started.stdout}${started.stderr}`)
  try {
    const userData = fixtureUserData()
    const backtest = async (track) => {
      const args = ['bin/run.js', 'strategy', 'backtest', '--strategy', 'SampleRsiStrategy', '--user-data-dir', userData, '--pairs', 'ETH/BTC', ...(track ? [] : ['--no-track'])]
      const run = await measure(process.execPath, args, {env})
      if (track !== run.stdout.includes('MLflow run: ')) throw new Error(`expected the run ${track ? '' : 'not '}to be logged:\n${run.stderr}`)
      return {...run, stage: Number(/Record in MLflow \((\d+(?:\.\d+)?)s\)/.exec(run.stderr)?.[1] ?? Number.NaN)}
    }

    await backtest(true) // warm-up: creates the experiment, warms the file cache
    const tracked = []
    const untracked = []
    for (let i = 0; i < RUNS; i++) {
      untracked.push(await backtest(false))
      tracked.push(await backtest(true))
    }

    const paired = median(tracked.map((run, i) => run.seconds - untracked[i].seconds))
    return [
      `| backtest tracked vs --no-track (1 pair, loopback MLflow), medians | ${median(tracked.map((r) => r.seconds)).toFixed(3)} s | ${median(untracked.map((r) => r.seconds)).toFixed(3)} s | ${paired >= 0 ? '+' : ''}${paired.toFixed(3)} s (paired median) | ≤ +0.3 s |`,
      `| tracking stage alone (log params, metrics, 7 artifacts) | ${median(tracked.map((r) => r.stage)).toFixed(3)} s | – | – | – |`,
    ]
  } finally {
    cli(['tracking', 'stop'])
  }
}
