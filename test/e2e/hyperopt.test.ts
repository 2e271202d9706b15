import {cpSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'

import {json, runCli, type CliResult} from '../helpers/cli.js'
import {schemaErrors} from '../helpers/json-schema.js'
import {fixtureUserData, STRATEGIES, tempDir} from '../helpers/paths.js'

const DATA = ['--pairs', 'ETH/BTC', 'LTC/BTC', '--timerange', '20180112-20180128']

interface Metrics {
  totalTrades: number
  profitTotal: number
  sharpe: number
  maxDrawdown: number
}

interface RunJson {
  study: string
  engine: string
  epochs: number
  completedTrials: number
  bestLoss: number
  bestParams: Record<string, Record<string, number>>
  bestMetrics: Metrics
  oos: {
    timerange: string
    inSampleTimerange: string
    trials: Array<{trial: number; inSample: Metrics & {loss: number}; outOfSample: Metrics & {loss: number}; drop: Record<string, number>}>
  } | null
  paretoFront: Array<{number: number; objectives: Record<string, number>; metrics: Metrics}> | null
  paramsFile: string | null
  bestTrial: number
  failedOrphans: number[]
  runDir: string
}

interface ErrorJson {
  error: {code: string; message: string; exitCode: number}
}

describe('hyperopt run (Optuna engine, real Freqtrade backtests on the fixture candles)', () => {
  let userData: string
  let strategies: string
  let studies: string
  let opts: string[]
  let main: CliResult
  let result: RunJson

  beforeAll(async () => {
    userData = fixtureUserData()
    strategies = tempDir('tradai-strat-')
    cpSync(STRATEGIES, strategies, {recursive: true}) // the params file is written beside the strategy
    studies = tempDir('tradai-studies-')
    opts = ['--strategy-path', strategies, '--user-data-dir', userData, '--studies-dir', studies, '--no-track']
    main = await runCli([
      'hyperopt',
      'run',
      '--strategy',
      'SampleRsiStrategy',
      ...DATA,
      '--spaces',
      'buy',
      'sell',
      '--epochs',
      '8',
      '--jobs',
      '2',
      '--seed',
      '7',
      '--study',
      'main',
      '--oos-fraction',
      '0.25',
      '--top-k',
      '2',
      '--json',
      ...opts,
    ])
    expect(main.code, main.stderr).toBe(0)
    result = json<RunJson>(main)
  })

  it('prints one JSON document: study, best loss/params/metrics, all trials completed', () => {
    expect(schemaErrors('hyperopt-run', result)).toEqual([])
    expect(result).toMatchObject({study: 'main', engine: 'optuna', epochs: 8, completedTrials: 8, paretoFront: null})
    expect(Object.keys(result.bestParams).sort()).toEqual(['buy', 'sell'])
    expect(Object.keys(result.bestParams.buy!).sort()).toEqual(['buy_bb_offset', 'buy_rsi', 'buy_trend_ema', 'buy_trend_tolerance'])
    const trials = (JSON.parse(readFileSync(path.join(result.runDir, 'tradai-hyperopt.json'), 'utf8')) as {trials: Array<{number: number; loss: number}>}).trials
    expect(trials).toHaveLength(8)
    expect(new Set(trials.map((t) => t.number)).size).toBe(8)
    expect(result.bestLoss).toBe(Math.min(...trials.map((t) => t.loss)))
  })

  it("scores a trial with Freqtrade's loss: SharpeHyperOptLoss is minus Freqtrade's own Sharpe of the backtest", () => {
    if (result.bestMetrics.totalTrades >= 1) expect(result.bestLoss).toBeCloseTo(-result.bestMetrics.sharpe, 6)
    else expect(result.bestLoss).toBe(100_000) // Freqtrade's MAX_LOSS under --min-trades
  })

  it('re-backtests the top 2 on the held-out last quarter, side by side with the drop', () => {
    expect(result.oos?.trials).toHaveLength(2)
    expect(result.oos!.trials[0]!.trial).toBe(result.bestTrial)
    expect(result.oos!.timerange.split('-')[0]).toBe(result.oos!.inSampleTimerange.split('-')[1])
    for (const row of result.oos!.trials) {
      expect(row.outOfSample.loss).toEqual(expect.any(Number))
      expect(row.drop.profitTotal).toBeCloseTo(row.inSample.profitTotal - row.outOfSample.profitTotal, 10)
    }
  })

  it('exports the best params beside the strategy as Freqtrade writes them', () => {
    expect(result.paramsFile).toBe(path.join(strategies, 'sample_rsi_strategy.json'))
    const file = JSON.parse(readFileSync(result.paramsFile!, 'utf8')) as {strategy_name: string; ft_stratparam_v: number; params: Record<string, unknown>}
    expect(file.strategy_name).toBe('SampleRsiStrategy')
    expect(file.ft_stratparam_v).toBe(1)
    expect(file.params.buy).toEqual(result.bestParams.buy)
    expect(file.params.sell).toEqual(result.bestParams.sell)
    // Not optimized: taken from the strategy, as Freqtrade's export does.
    expect(file.params.stoploss).toEqual({stoploss: -0.05})
  })

  it('list and show read the study back', async () => {
    const list = await runCli(['hyperopt', 'list', '--studies-dir', studies, '--json'])
    expect(json<{studies: Array<Record<string, unknown>>}>(list).studies).toEqual([
      expect.objectContaining({study: 'main', engine: 'optuna', completedTrials: 8, bestLoss: result.bestLoss, lastUpdate: expect.any(String)}),
    ])
    const trial = await runCli(['hyperopt', 'show', 'main', '--trial', String(result.bestTrial), '--studies-dir', studies, '--json'])
    expect(json<{trial: {number: number; paramsDetails: unknown}}>(trial).trial).toMatchObject({number: result.bestTrial, paramsDetails: result.bestParams})
    const missing = await runCli(['hyperopt', 'show', 'nope', '--studies-dir', studies, '--json'])
    expect(missing.code).toBe(5)
    expect(json<ErrorJson>(missing).error.code).toBe('NOT_FOUND')
  })

  it('refuses to continue the study with another search space (exit 2)', async () => {
    const run = await runCli(['hyperopt', 'run', '--strategy', 'SampleRsiStrategy', ...DATA, '--spaces', 'buy', '--epochs', '2', '--study', 'main', '--json', ...opts])
    expect(run.code).toBe(2)
    expect(json<ErrorJson>(run).error.message).toMatch(/study 'main' exists with another search space/)
  })
})

describe('hyperopt: bad input gives a clear error and its exit code', () => {
  const base = ['hyperopt', 'run', '--strategy', 'SampleRsiStrategy', '--json', '--no-track']
  it.each([
    [['--epochs', '0'], 2, /--epochs must be a whole number of at least 1/],
    [['--spaces', 'buy', 'moon'], 2, /Unknown space "moon"/],
    [['--loss', 'NoSuchLoss'], 2, /Unknown loss "NoSuchLoss"/],
    [['--sampler', 'annealing'], 2, /Unknown sampler "annealing"/],
    [['--storage', 'mysql://u:hunter2@db/x'], 2, /not a PostgreSQL URL/],
    [['--engine', 'freqtrade', '--objectives', 'profit', 'drawdown'], 2, /only apply to --engine optuna/],
  ])('%j → exit %i', async (flags, code, message) => {
    const run = await runCli([...base, ...flags])
    expect(run.code).toBe(code)
    const error = json<ErrorJson>(run).error
    expect(error.exitCode).toBe(code)
    expect(error.message).toMatch(message)
    expect(run.stdout).not.toContain('hunter2')
  })

  it('an unreachable storage exits 3 and names it without its user-info', async () => {
    const run = await runCli([...base, '--storage', 'postgresql://tradai:hunter2@127.0.0.1:1/studies', '--epochs', '1', '--user-data-dir', fixtureUserData()])
    expect(run.code).toBe(3)
    expect(json<ErrorJson>(run).error.message).toMatch(/cannot reach the study storage postgresql:\/\/\*\*\*@127\.0\.0\.1:1\/studies/)
    expect(run.stdout + run.stderr).not.toContain('hunter2')
  })

  it('a space the strategy has no parameters for exits 2', async () => {
    const run = await runCli([...base, ...DATA, '--spaces', 'protection', '--epochs', '1', '--user-data-dir', fixtureUserData(), '--studies-dir', tempDir('tradai-studies-')])
    expect(run.code).toBe(2)
    expect(json<ErrorJson>(run).error.message).toMatch(/'protection' space is included into the hyperoptimization but no parameter/)
  })
})
