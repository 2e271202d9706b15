import {copyFileSync, existsSync, mkdirSync} from 'node:fs'
import path from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'

import {json, runCli} from '../helpers/cli.js'
import {schemaErrors} from '../helpers/json-schema.js'
import {fixtureUserData, REPO, STRATEGIES, tempDir} from '../helpers/paths.js'

interface Metrics {
  totalTrades: number
  profitTotal: number
  maxDrawdown: number | null
}

interface SweepJson {
  runId: string
  strategy: string
  grid: Record<string, number[]>
  points: Array<{index: number; params: Record<string, number>; metrics: Metrics; runDir: string}>
  best: {params: Record<string, number>; metrics: Metrics}
  sortBy: string
}

const PAIRS = ['ETH/BTC', 'LTC/BTC']
const TIMERANGE = '20180115-20180120'

/** Our fixture strategy (reads `.value` in populate_indicators) in a folder of its own. */
function valueStrategyDir(): string {
  const dir = tempDir('tradai-sweep-strats-')
  mkdirSync(dir, {recursive: true})
  copyFileSync(path.join(REPO, 'test/fixtures/strategies/value_in_indicators_strategy.py'), path.join(dir, 'value_in_indicators_strategy.py'))
  return dir
}

async function backtest(strategy: string, strategyPath: string, userData: string, params: Record<string, number>): Promise<Metrics> {
  const run = await runCli([
    'strategy',
    'backtest',
    '--strategy',
    strategy,
    '--strategy-path',
    strategyPath,
    '--user-data-dir',
    userData,
    '--pairs',
    ...PAIRS,
    '--timerange',
    TIMERANGE,
    '--no-track',
    '--json',
    ...Object.entries(params).flatMap(([name, value]) => ['--param', `${name}=${value}`]),
  ])
  expect(run.code, run.stderr).toBe(0)
  return json<{metrics: Metrics}>(run).metrics
}

describe.each([
  // Computes its EMA columns for the parameter's whole range in populate_indicators.
  {strategy: 'SampleRsiStrategy', strategyPath: () => STRATEGIES, grid: ['buy_rsi=28:36:4', 'sell_rsi=60']},
  // Reads .value inside populate_indicators: indicators must be recomputed per point.
  {strategy: 'ValueInIndicatorsStrategy', strategyPath: valueStrategyDir, grid: ['fast_ema=8,14', 'slow_ema=30,48']},
])('strategy sweep $strategy (warm engine, real Freqtrade)', ({strategy, strategyPath, grid}) => {
  let userData: string
  let dir: string
  let sweep: SweepJson

  beforeAll(async () => {
    userData = fixtureUserData()
    dir = strategyPath()
    const run = await runCli([
      'strategy',
      'sweep',
      '--strategy',
      strategy,
      '--strategy-path',
      dir,
      '--user-data-dir',
      userData,
      '--pairs',
      ...PAIRS,
      '--timerange',
      TIMERANGE,
      '--jobs',
      '2',
      '--no-track',
      '--json',
      ...grid.flatMap((axis) => ['--grid', axis]),
    ])
    expect(run.code, run.stderr).toBe(0)
    sweep = json<SweepJson>(run)
  }, 900_000)

  it('prints the documented JSON with the cartesian product, ranked, best first', () => {
    expect(schemaErrors('strategy-sweep', sweep)).toEqual([])
    const expected = grid.reduce((count, axis) => count * (axis.includes(':') ? 3 : axis.split('=')[1]!.split(',').length), 1)
    expect(sweep.points).toHaveLength(expected)
    expect(new Set(sweep.points.map((point) => JSON.stringify(point.params))).size).toBe(expected)
    const profits = sweep.points.map((point) => point.metrics.profitTotal)
    expect(profits).toEqual([...profits].sort((a, b) => b - a))
    expect(sweep.best).toEqual({params: sweep.points[0]!.params, metrics: sweep.points[0]!.metrics})
    for (const point of sweep.points) expect(existsSync(path.join(point.runDir, 'tradai-result.json'))).toBe(true)
  })

  it('gives every point exactly the numbers of a separate `strategy backtest --param` run', async () => {
    // Separate backtests in grid order, in a fresh process each: the fidelity the warm engine promises.
    for (const point of [...sweep.points].sort((a, b) => a.index - b.index)) {
      const fresh = await backtest(strategy, dir, userData, point.params)
      expect({params: point.params, totalTrades: point.metrics.totalTrades, profitTotal: point.metrics.profitTotal, maxDrawdown: point.metrics.maxDrawdown}).toEqual({
        params: point.params,
        totalTrades: fresh.totalTrades,
        profitTotal: fresh.profitTotal,
        maxDrawdown: fresh.maxDrawdown,
      })
    }

    // The points differ (otherwise the comparison above proves nothing about recomputation).
    expect(new Set(sweep.points.map((point) => point.metrics.totalTrades + point.metrics.profitTotal)).size).toBeGreaterThan(1)
  }, 600_000)
})

describe('strategy sweep: bad input', () => {
  const userData = fixtureUserData()
  const base = ['strategy', 'sweep', '--strategy', 'SampleRsiStrategy', '--user-data-dir', userData, '--pairs', 'ETH/BTC', '--timerange', TIMERANGE, '--no-track', '--json']

  it("an unknown grid parameter is a usage error listing the strategy's parameters", async () => {
    const run = await runCli([...base, '--grid', 'buy_rsx=20,30'])
    expect(run.code).toBe(2)
    const {error} = json<{error: {message: string; exitCode: number}}>(run)
    expect(error.exitCode).toBe(2)
    expect(error.message).toContain("'buy_rsx'")
    expect(error.message).toContain('buy_rsi')
    expect(error.message).toContain('sell_rsi')
  })

  it("a value outside the parameter's range or of the wrong type is a usage error", async () => {
    const outside = await runCli([...base, '--grid', 'buy_rsi=30,99'])
    expect(outside.code).toBe(2)
    expect(json<{error: {message: string}}>(outside).error.message).toMatch(/99.*within \[15, 45\]/)
    const wrongType = await runCli([...base, '--grid', 'buy_rsi=30.5'])
    expect(wrongType.code).toBe(2)
    expect(json<{error: {message: string}}>(wrongType).error.message).toContain('whole number')
  })

  it('an empty grid, or one over sweep.maxPoints without --yes, is a usage error', async () => {
    const empty = await runCli(base)
    expect(empty.code).toBe(2)
    expect(json<{error: {message: string}}>(empty).error.message).toContain('at least one --grid')
    const huge = await runCli([...base, '--grid', 'buy_rsi=15:45:1', '--grid', 'sell_rsi=55:85:1', '--grid', 'buy_trend_ema=50:60:1'])
    expect(huge.code).toBe(2)
    expect(json<{error: {message: string}}>(huge).error.message).toContain('10571 points, more than sweep.maxPoints (10000)')
  })
})
