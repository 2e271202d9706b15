// Issue 13's benchmarks (`npm run bench research`): the warm engine against separate processes.
//  - a 20-point sweep against 20 separate `tradai strategy backtest --param` runs (same results),
//  - `strategy sweep --jobs 2` against `--jobs 1`,
//  - the sweep's peak memory (whole process tree) against one backtest's.
import {fixtureUserData, measure, median, row} from './lib.mjs'

const RUNS = Number(process.env.BENCH_RUNS ?? 5)
const DATA = ['--pairs', 'ETH/BTC', 'LTC/BTC', '--timerange', '20180115-20180120', '--no-track', '--json']
const VALUES = Array.from({length: 20}, (_, index) => 20 + index)
// BENCH_SEPARATE=K measures K of the 20 separate backtests (spread over the grid) and scales their
// mean by 20: each separate run is the same work on a busy shared machine, and 20 take long.
const SEPARATE = Math.min(20, Number(process.env.BENCH_SEPARATE ?? 20))
const MEASURED = VALUES.filter((_, index) => index % Math.round(20 / SEPARATE) === 0).slice(0, SEPARATE)
// The --jobs comparison again on the whole fixture (10 pairs x 20 days, as the backtest bench): on the
// small workload above a point (~0.5 s) is short beside the sweep's fixed start (Node, Python, the
// Freqtrade import: ~5 s), which bounds any speed-up; a real sweep's points are longer.
const FULL_PAIRS = ['ETH/BTC', 'LTC/BTC', 'XLM/BTC', 'XMR/BTC', 'DASH/BTC', 'ADA/BTC', 'ETC/BTC', 'TRX/BTC', 'ZEC/BTC', 'NXT/BTC']
const FULL_RUNS = Number(process.env.BENCH_FULL_RUNS ?? 1)

export async function bench() {
  const userData = fixtureUserData()
  const common = ['bin/run.js', 'strategy']
  const strategy = ['--strategy', 'SampleRsiStrategy', '--user-data-dir', userData]
  const sweep = (jobs) => measure(process.execPath, [...common, 'sweep', ...strategy, ...DATA, '--grid', `buy_rsi=${VALUES.join(',')}`, '--jobs', String(jobs)])
  const backtest = (value) => measure(process.execPath, [...common, 'backtest', ...strategy, ...DATA, '--param', `buy_rsi=${value}`])
  const walls = {separate: [], sweep1: [], sweep2: []}
  const memory = {sweep: [], backtest: []}
  let mismatches = 0
  for (let run = 0; run < RUNS; run++) {
    const one = await sweep(1)
    walls.sweep1.push(one.seconds)
    memory.sweep.push(one.peakMiB)
    const points = new Map(JSON.parse(one.stdout).points.map((point) => [point.params.buy_rsi, point.metrics]))
    let total = 0
    for (const value of MEASURED) {
      const separate = await backtest(value)
      total += separate.seconds
      memory.backtest.push(separate.peakMiB)
      const {totalTrades, profitTotal, maxDrawdown} = JSON.parse(separate.stdout).metrics
      const point = points.get(value)
      if (point.totalTrades !== totalTrades || point.profitTotal !== profitTotal || point.maxDrawdown !== maxDrawdown) mismatches++
    }
    walls.separate.push((total / MEASURED.length) * VALUES.length)
    walls.sweep2.push((await sweep(2)).seconds)
  }
  const full = {sweep1: [], sweep2: []}
  let fullMismatches = 0
  const fullSweep = (jobs) =>
    measure(process.execPath, [...common, 'sweep', ...strategy, '--pairs', ...FULL_PAIRS, '--no-track', '--json', '--grid', `buy_rsi=${VALUES.join(',')}`, '--jobs', String(jobs)])
  for (let run = 0; run < FULL_RUNS; run++) {
    const one = await fullSweep(1)
    const two = await fullSweep(2)
    const metrics = (result) => JSON.stringify(JSON.parse(result.stdout).points.map((point) => point.metrics))
    if (metrics(one) !== metrics(two)) fullMismatches++
    full.sweep1.push(one.seconds)
    full.sweep2.push(two.seconds)
  }
  return [
    row(
      `20-point sweep vs 20 separate backtests (2 pairs × 5 days${MEASURED.length < 20 ? `; ${MEASURED.length} measured, ×${20 / MEASURED.length}` : ''}; ${mismatches} result mismatch(es) in ${MEASURED.length})`,
      median(walls.sweep1),
      median(walls.separate),
      's',
      '≤ 0.3×, same results',
    ),
    row('sweep --jobs 2 vs --jobs 1 (wall; goal is the speed-up)', median(walls.sweep2), median(walls.sweep1), 's', '≤ 0.556× (≥ 1.8× faster)'),
    row(
      `sweep --jobs 2 vs --jobs 1, 10 pairs × 20 days (wall; goal is the speed-up; ${fullMismatches} mismatch(es) between them)`,
      median(full.sweep2),
      median(full.sweep1),
      's',
      '≤ 0.556× (≥ 1.8× faster)',
    ),
    row('sweep peak memory vs one backtest (whole process tree)', median(memory.sweep), median(memory.backtest), 'MiB', '≤ 1.5×'),
  ]
}
