import {beforeAll, describe, expect, it} from 'vitest'

import {json, runCli} from '../helpers/cli.js'
import {schemaErrors} from '../helpers/json-schema.js'
import {fixtureUserData, tempDir} from '../helpers/paths.js'

interface Metrics {
  totalTrades: number
  profitTotal: number
  profitTotalAbs: number
  maxDrawdown: number | null
}

interface WalkForwardJson {
  windows: Array<{
    index: number
    train: {timerange: string; days: number}
    test: {timerange: string; days: number}
    bestParams: Record<string, number> | null
    inSample: {metrics: Metrics}
    outOfSample: {metrics: Metrics}
  }>
  aggregate: {efficiency: number | null; oosProfitTotal: number; oosMaxDrawdown: number; oosTotalTrades: number}
  stitchedEquity: Array<{date: string; balance: number}>
  startingBalance: number
}

const DATA = ['--pairs', 'ETH/BTC', '--timerange', '20180112-']
const start = (range: string) => range.split('-')[0]!
const end = (range: string) => range.split('-')[1]!

describe('strategy walk-forward (real Optuna hyperopt + Freqtrade backtests)', () => {
  let userData: string
  let studies: string
  let result: WalkForwardJson

  beforeAll(async () => {
    userData = fixtureUserData()
    studies = tempDir('tradai-wf-studies-')
    const run = await runCli([
      'strategy',
      'walk-forward',
      '--strategy',
      'SampleRsiStrategy',
      '--user-data-dir',
      userData,
      '--studies-dir',
      studies,
      ...DATA,
      '--train-days',
      '3',
      '--test-days',
      '2',
      '--windows',
      '2',
      '--epochs',
      '4',
      '--seed',
      '3',
      '--no-track',
      '--json',
    ])
    expect(run.code, run.stderr).toBe(0)
    result = json<WalkForwardJson>(run)
  }, 900_000)

  it('prints the documented JSON; test segments follow their train segments and never overlap', () => {
    expect(schemaErrors('strategy-walk-forward', result)).toEqual([])
    expect(result.windows).toHaveLength(2)
    for (const [index, window] of result.windows.entries()) {
      expect(start(window.test.timerange)).toBe(end(window.train.timerange))
      if (index > 0) expect(start(window.test.timerange) >= end(result.windows[index - 1]!.test.timerange)).toBe(true)
    }

    expect(result.windows[0]!.train.timerange).toBe('20180112-20180115')
    expect(result.windows[1]!.test.timerange).toBe('20180117-20180119')
    expect(result.aggregate.oosTotalTrades).toBe(result.windows.reduce((sum, w) => sum + w.outOfSample.metrics.totalTrades, 0))
    const oosAbs = result.windows.reduce((sum, w) => sum + w.outOfSample.metrics.profitTotalAbs, 0)
    expect(result.aggregate.oosProfitTotal).toBeCloseTo(oosAbs / result.startingBalance, 12)
    expect(result.stitchedEquity.at(-1)!.balance).toBeCloseTo(result.startingBalance + oosAbs, 12)
    expect(result.stitchedEquity).toHaveLength(result.aggregate.oosTotalTrades + 1)
  })

  it("a separate backtest of a window's best params on its test timerange gives its out-of-sample numbers exactly", async () => {
    const window = result.windows[1]!
    expect(window.bestParams).not.toBeNull()
    const run = await runCli([
      'strategy',
      'backtest',
      '--strategy',
      'SampleRsiStrategy',
      '--user-data-dir',
      userData,
      '--pairs',
      'ETH/BTC',
      '--timerange',
      window.test.timerange,
      '--no-track',
      '--json',
      ...Object.entries(window.bestParams!).flatMap(([name, value]) => ['--param', `${name}=${value}`]),
    ])
    expect(run.code, run.stderr).toBe(0)
    const fresh = json<{metrics: Metrics}>(run).metrics
    expect({totalTrades: fresh.totalTrades, profitTotal: fresh.profitTotal, maxDrawdown: fresh.maxDrawdown}).toEqual({
      totalTrades: window.outOfSample.metrics.totalTrades,
      profitTotal: window.outOfSample.metrics.profitTotal,
      maxDrawdown: window.outOfSample.metrics.maxDrawdown,
    })
  })

  it('windows that do not fit the candles are a usage error saying what fits', async () => {
    const run = await runCli([
      'strategy',
      'walk-forward',
      '--strategy',
      'SampleRsiStrategy',
      '--user-data-dir',
      userData,
      ...DATA,
      '--train-days',
      '10',
      '--test-days',
      '4',
      '--windows',
      '3',
      '--epochs',
      '2',
      '--no-track',
      '--json',
    ])
    expect(run.code).toBe(2)
    const {error} = json<{error: {message: string; suggestions: string[]}}>(run)
    // 20180112 to 20180130 is 18 whole days: 10 train + 4 test fits twice.
    expect(error.message).toContain('18 whole day(s)')
    expect(error.message).toContain('3 windows of 10 train + 4 test days do not fit; at most 2 do')
    expect(error.suggestions).toContain('Pass --windows 2 or less, or shorten --train-days / --test-days.')
  })
})
