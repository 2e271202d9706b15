// Issue 2's benchmarks: start-up (`--version`) and one backtest, tradai against raw Freqtrade.
import {readFileSync} from 'node:fs'
import path from 'node:path'

import {ENGINE_DIR, ENGINE_PYTHON, fixtureUserData, measure, REPO, row, sideBySide} from './lib.mjs'

const RUNS = Number(process.env.BENCH_RUNS ?? 5)
const tradai = ['bin/run.js']

export async function benchStartup() {
  const result = await sideBySide(
    RUNS * 2,
    () => measure(process.execPath, [...tradai, '--version']),
    () => measure(path.join(ENGINE_DIR, 'bin/freqtrade'), ['--version']),
  )
  return [row('`--version` wall (tradai vs freqtrade)', result.a.seconds, result.b.seconds, 's', '≤ 0.15×')]
}

export async function benchBacktest() {
  const userData = fixtureUserData()
  const pairs = ['ETH/BTC', 'LTC/BTC', 'XLM/BTC', 'XMR/BTC', 'DASH/BTC', 'ADA/BTC', 'ETC/BTC', 'TRX/BTC', 'ZEC/BTC', 'NXT/BTC']
  const args = [...tradai, 'strategy', 'backtest', '--strategy', 'SampleRsiStrategy', '--user-data-dir', userData, '--pairs', ...pairs, '--no-track', '--json']
  // One tradai run first: its generated config is what raw Freqtrade then runs, so both do the same work.
  const first = JSON.parse((await measure(process.execPath, args)).stdout)
  const strategyDir = path.dirname(first.strategyFiles.find((file) => file.endsWith('.py')))
  const raw = [
    '-m',
    'tradai_engine.freqtrade_offline',
    'backtesting',
    '--config',
    first.configFile,
    '--strategy',
    first.strategyClass,
    '--strategy-path',
    strategyDir,
    '--export-directory',
    path.join(userData, 'raw'),
    '--cache',
    'none',
  ]
  const result = await sideBySide(
    RUNS,
    () => measure(process.execPath, args),
    () => measure(ENGINE_PYTHON, raw),
  )
  const trades = JSON.parse(readFileSync(path.join(first.runDir, 'tradai-result.json'), 'utf8')).metrics.totalTrades
  return [
    row(`backtest wall, 10 pairs × 20 days, ${trades} trades`, result.a.seconds, result.b.seconds, 's', '≤ 1.05×'),
    row('backtest peak memory (whole process tree)', result.a.peakMiB, result.b.peakMiB, 'MiB', '≤ 1.1×'),
  ]
}

export const REPO_ROOT = REPO
