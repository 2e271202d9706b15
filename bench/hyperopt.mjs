// Issue 4's benchmark: tradai's Optuna engine against Freqtrade's own hyperopt on the same strategy,
// spaces, loss, candles and --jobs. Epochs per second (whole command wall time, start-up and data
// loading included) and the best loss after the same number of epochs, each the median of 3 seeds.
import {readFileSync} from 'node:fs'
import path from 'node:path'

import {ENGINE_PYTHON, fixtureUserData, measure, median, REPO} from './lib.mjs'

const EPOCHS = Number(process.env.BENCH_HYPEROPT_EPOCHS ?? 150)
const JOBS = Number(process.env.BENCH_HYPEROPT_JOBS ?? 2)
const SEEDS = [1, 2, 3]
const PAIRS = ['ETH/BTC', 'LTC/BTC', 'XLM/BTC']
const TIMERANGE = '20180112-20180128'
const SPACES = ['buy', 'sell']
const LOSS = 'SharpeHyperOptLoss'
// BENCH_TRADAI_BIN: a built copy of bin/run.js, so a rebuild of dist/ mid-benchmark cannot break it.
const TRADAI_BIN = process.env.BENCH_TRADAI_BIN ?? 'bin/run.js'

async function tradai(userData, studies, seed) {
  const args = [
    TRADAI_BIN,
    'hyperopt',
    'run',
    '--strategy',
    'SampleRsiStrategy',
    '--user-data-dir',
    userData,
    '--pairs',
    ...PAIRS,
    '--timerange',
    TIMERANGE,
    '--spaces',
    ...SPACES,
    '--loss',
    LOSS,
    '--epochs',
    String(EPOCHS),
    '--jobs',
    String(JOBS),
    '--seed',
    String(seed),
    '--study',
    `bench-${seed}-${Date.now()}`,
    '--studies-dir',
    studies,
    '--no-export',
    '--no-track',
    '--json',
  ]
  const run = await measure(process.execPath, args)
  const result = JSON.parse(run.stdout)
  return {seconds: run.seconds, bestLoss: result.bestLoss, epochs: result.epochs, configFile: path.join(result.runDir, 'config.json'), trialsEps: result.epochsPerSecond}
}

async function freqtrade(userData, configFile, seed) {
  // Freqtrade's own CLI (offline markets), on the config tradai generated: same candles, pairs, fees.
  const args = [
    '-m',
    'tradai_engine.freqtrade_offline',
    'hyperopt',
    '--config',
    configFile,
    '--strategy',
    'SampleRsiStrategy',
    '--strategy-path',
    path.join(REPO, 'strategies'),
    '--hyperopt-loss',
    LOSS,
    '--spaces',
    ...SPACES,
    '--epochs',
    String(EPOCHS),
    '-j',
    String(JOBS),
    '--random-state',
    String(seed),
    '--min-trades',
    '1',
    '--disable-param-export',
    '--timerange',
    TIMERANGE,
    '--user-data-dir',
    userData,
  ]
  const run = await measure(ENGINE_PYTHON, args)
  const dir = path.join(userData, 'hyperopt_results')
  const latest = JSON.parse(readFileSync(path.join(dir, '.last_result.json'), 'utf8')).latest_hyperopt
  const epochs = readFileSync(path.join(dir, latest), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line))
  return {seconds: run.seconds, bestLoss: Math.min(...epochs.map((epoch) => epoch.loss)), epochs: epochs.length}
}

export async function bench() {
  const userData = fixtureUserData()
  const studies = path.join(userData, 'studies')
  const ours = []
  const theirs = []
  for (const seed of SEEDS) {
    // Alternate the two so machine noise hits both alike.
    const a = await tradai(userData, studies, seed)
    ours.push(a)
    theirs.push(await freqtrade(userData, a.configFile, seed))
  }
  const eps = (runs) => median(runs.map((r) => r.epochs / r.seconds))
  const loss = (runs) => median(runs.map((r) => r.bestLoss))
  const label = `${EPOCHS} epochs, --jobs ${JOBS}, ${PAIRS.length} pairs × 16 days, spaces ${SPACES.join(' ')}, ${LOSS}`
  const [a, b] = [eps(ours), eps(theirs)]
  return [
    `| hyperopt epochs/s, whole command (${label}) | ${a.toFixed(3)} | ${b.toFixed(3)} | ${(a / b).toFixed(2)}× | ≥ 1.0× |`,
    `| hyperopt epochs/s, optimization phase only (tradai) | ${median(ours.map((r) => r.trialsEps)).toFixed(3)} | – | – | – |`,
    `| best loss after ${EPOCHS} epochs, median of seeds ${SEEDS.join(',')} (lower is better) | ${loss(ours).toFixed(4)} | ${loss(theirs).toFixed(4)} | ${loss(ours) <= loss(theirs) ? 'no worse' : 'worse'} | ≤ reference |`,
    `| best loss per seed (tradai / freqtrade) | ${ours.map((r) => r.bestLoss.toFixed(3)).join(', ')} | ${theirs.map((r) => r.bestLoss.toFixed(3)).join(', ')} | – | – |`,
    `| wall seconds per seed (tradai / freqtrade) | ${ours.map((r) => r.seconds.toFixed(1)).join(', ')} | ${theirs.map((r) => r.seconds.toFixed(1)).join(', ')} | – | – |`,
  ]
}

// `node bench/hyperopt.mjs` runs this section alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  console.log('| measure | tradai | reference | ratio | goal |')
  console.log('|---|---|---|---|---|')
  for (const line of await bench()) console.log(line)
}
