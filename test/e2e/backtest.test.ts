import {execFileSync} from 'node:child_process'
import {existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'

import {json, runCli} from '../helpers/cli.js'
import {freqtradeStats} from '../helpers/engine-python.js'
import {schemaErrors} from '../helpers/json-schema.js'
import {ENGINE_PYTHON, fixtureUserData, REPO, STRATEGIES, tempDir} from '../helpers/paths.js'

interface BacktestJson {
  runId: string
  strategy: string
  strategyClass: string
  exchange: string
  timeframe: string
  timerange: string
  pairs: string[]
  metrics: Record<string, number | null>
  perPair: Array<{key: string; trades: number}>
  exitReasons: Array<{key: string; trades: number}>
  equityCurve: Array<{date: string; balance: number}>
  marketsSource: string
  resultFile: string
  configFile: string
  runDir: string
  strategyFiles: string[]
  engine: {freqtrade: string}
}

const PAIRS = ['ETH/BTC', 'LTC/BTC', 'XLM/BTC']

describe('strategy backtest (real Freqtrade, fixture candles)', () => {
  let userData: string
  let result: BacktestJson
  let stderr: string

  beforeAll(async () => {
    userData = fixtureUserData()
    const run = await runCli([
      'strategy',
      'backtest',
      '--strategy',
      'SampleRsiStrategy',
      '--user-data-dir',
      userData,
      '--pairs',
      ...PAIRS,
      '--timerange',
      '20180112-20180128',
      '--json',
    ])
    expect(run.code, run.stderr).toBe(0)
    result = json<BacktestJson>(run)
    stderr = run.stderr
  })

  it("prints one JSON document with Freqtrade's numbers and the run's files", () => {
    expect(schemaErrors('strategy-backtest', result)).toEqual([])
    expect(result.strategy).toBe('SampleRsiStrategy')
    expect(result.pairs).toEqual(PAIRS)
    expect(result.timeframe).toBe('5m')
    expect(result.exchange).toBe('binance')
    expect(result.marketsSource).toBe('synthesized')
    expect(result.metrics.totalTrades).toBeGreaterThan(5)
    expect(result.perPair.map((row) => row.key).sort()).toEqual([...PAIRS, 'TOTAL'].sort())
    expect(result.perPair.find((row) => row.key === 'TOTAL')?.trades).toBe(result.metrics.totalTrades)
    expect(result.exitReasons.reduce((sum, row) => sum + (row.key === 'TOTAL' ? 0 : row.trades), 0)).toBe(result.metrics.totalTrades)
    expect(result.equityCurve).toHaveLength(result.metrics.totalTrades! + 1)
    for (const key of ['profitTotal', 'profitTotalAbs', 'maxDrawdown', 'sharpe', 'sortino', 'calmar', 'winRate', 'profitFactor', 'expectancy', 'marketChange']) {
      expect(typeof result.metrics[key], key).toBe('number')
    }
    expect(result.engine.freqtrade).toMatch(/^\d{4}\.\d+/)
    // Under --json, stderr carries no progress (warnings at most).
    expect(stderr).not.toMatch(/Backtest \(/)
  })

  it('keeps the result, the generated config and the strategy source by run id', () => {
    expect(result.runDir).toContain(result.runId)
    expect(existsSync(result.resultFile)).toBe(true)
    const config = JSON.parse(readFileSync(result.configFile, 'utf8')) as Record<string, unknown>
    expect(config.backtest_cache).toBe('none')
    expect(result.strategyFiles.some((file) => file.endsWith('sample_rsi_strategy.py'))).toBe(true)
    expect(
      readFileSync(
        result.strategyFiles.find((file) => file.endsWith('.py'))!,
        'utf8',
      ),
    ).toBe(readFileSync(path.join(STRATEGIES, 'sample_rsi_strategy.py'), 'utf8'))
    expect(JSON.parse(readFileSync(path.join(result.runDir, 'tradai-result.json'), 'utf8')).metrics).toEqual(result.metrics)
  })

  it("parity: Freqtrade's own backtesting command gives the same trades and profit", () => {
    const exportDir = tempDir('tradai-raw-')
    execFileSync(
      ENGINE_PYTHON,
      [
        '-m',
        'tradai_engine.freqtrade_offline',
        'backtesting',
        '--config',
        result.configFile,
        '--strategy',
        result.strategyClass,
        '--strategy-path',
        path.dirname(result.strategyFiles.find((file) => file.endsWith('.py'))!),
        '--export-directory',
        exportDir,
        '--cache',
        'none',
      ],
      {cwd: REPO, env: {...process.env, PYTHONPATH: path.join(REPO, 'python')}, stdio: ['ignore', 'ignore', 'pipe']},
    )
    const raw = freqtradeStats(exportDir, result.strategyClass)
    expect(result.metrics.totalTrades).toBe(raw.total_trades)
    expect(result.metrics.profitTotal).toBe(raw.profit_total)
    expect(result.metrics.profitTotalAbs).toBe(raw.profit_total_abs)
  })

  it("a second identical run is a new run, never Freqtrade's cached result", async () => {
    const again = await runCli([
      'strategy',
      'backtest',
      '--strategy',
      'SampleRsiStrategy',
      '--user-data-dir',
      userData,
      '--pairs',
      ...PAIRS,
      '--timerange',
      '20180112-20180128',
      '--json',
    ])
    const second = json<BacktestJson>(again)
    expect(second.runId).not.toBe(result.runId)
    expect(second.resultFile).not.toBe(result.resultFile)
    expect(second.metrics).toEqual(result.metrics)
  })

  it('--param overrides a strategy parameter for this run, and the run folder reproduces it', async () => {
    const run = await runCli([
      'strategy',
      'backtest',
      '--strategy',
      'SampleRsiStrategy',
      '--user-data-dir',
      userData,
      '--pairs',
      ...PAIRS,
      '--timerange',
      '20180112-20180128',
      '--param',
      'buy_rsi=15',
      '--json',
    ])
    expect(run.code, run.stderr).toBe(0)
    const overridden = json<BacktestJson & {params: Record<string, Record<string, unknown>>}>(run)
    expect(overridden.params.buy?.buy_rsi).toBe(15)
    expect(overridden.metrics.totalTrades).not.toBe(result.metrics.totalTrades)
  })

  it('human output: summary, per-pair and exit-reason tables and an equity curve on stdout; progress on stderr', async () => {
    const run = await runCli(['strategy', 'backtest', '--strategy', 'SampleRsiStrategy', '--user-data-dir', userData, '--pairs', 'ETH/BTC', '--timerange', '20180112-20180120'])
    expect(run.code, run.stderr).toBe(0)
    for (const heading of ['Summary', 'Per pair', 'Exit reasons', 'Equity', 'Total profit', 'Max drawdown', 'Sharpe / Sortino / Calmar', 'Profit factor', 'Market change']) {
      expect(run.stdout).toContain(heading)
    }
    expect(run.stdout).toMatch(/[\u2801-\u28FF]/) // braille chart cells
    expect(run.stderr).toMatch(/✔ Backtest/)
    expect(run.stdout).not.toMatch(/✔ Backtest/)
  })
})

describe('strategy backtest: bad input', () => {
  const userData = fixtureUserData()
  const backtest = (...args: string[]) => runCli(['strategy', 'backtest', '--user-data-dir', userData, ...args])

  it('unknown strategy: exit 5 and the strategies that exist', async () => {
    const run = await backtest('--strategy', 'NoSuchStrategy', '--json')
    expect(run.code).toBe(5)
    const document = json<{error: {code: string; message: string; exitCode: number}}>(run)
    expect(schemaErrors('error', document)).toEqual([])
    const error = document.error
    expect(error.exitCode).toBe(5)
    expect(error.message).toContain('NoSuchStrategy')
    expect(JSON.stringify(error)).toContain('SampleRsiStrategy')
  })

  it('a strategy file that fails to import: exit 2 with file and line, no stack trace', async () => {
    const dir = tempDir('tradai-bad-strategy-')
    writeFileSync(
      path.join(dir, 'broken_strategy.py'),
      'from freqtrade.strategy import IStrategy\n\n\nclass BrokenStrategy(IStrategy):\n    timeframe = "5m"\n    minimal_roi = {"0": 0.1}\n    stoploss = -0.1\n    x = undefined_name_here\n',
    )
    const run = await backtest('--strategy', 'BrokenStrategy', '--strategy-path', dir)
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('broken_strategy.py')
    expect(run.stderr).toMatch(/line 8|:8\b/)
    expect(run.stderr).not.toMatch(/Traceback|at .*\.js:\d+/)
  })

  it('no candles for a pair: exit 5, says what exists and how to get more', async () => {
    const run = await backtest('--strategy', 'SampleRsiStrategy', '--pairs', 'DOGE/BTC')
    expect(run.code).toBe(5)
    expect(run.stderr).toContain('DOGE/BTC')
    expect(run.stderr).toMatch(/ETH\/BTC/)
    expect(run.stderr).toMatch(/tradai data (import|download)/)
  })

  it('timerange outside the data: exit 5 naming the candles available', async () => {
    const run = await backtest('--strategy', 'SampleRsiStrategy', '--pairs', 'ETH/BTC', '--timerange', '20200101-20200201')
    expect(run.code).toBe(5)
    expect(run.stderr).toContain('2018-01')
  })

  it.each([
    [['--timerange', '2018-01-10'], 'timerange'],
    [['--timerange', '20180230-20180301'], '20180230'],
    [['--timerange', '20180120-20180110'], 'ends before it starts'],
    [['--pairs', 'ethbtc'], 'ethbtc'],
    [['--timeframe', 'five'], 'five'],
    [['--param', 'buy_rsi'], 'buy_rsi'],
    [['--param', 'no_such_param=3'], 'no_such_param'],
  ])('malformed %j: exit 2 naming the value', async (args, named) => {
    const run = await backtest('--strategy', 'SampleRsiStrategy', ...args)
    expect(run.code, run.stderr).toBe(2)
    expect(run.stderr).toContain(named)
    expect(run.stderr).not.toMatch(/\n\s+at /)
  })

  it('missing config file: exit 2', async () => {
    const run = await backtest('--strategy', 'SampleRsiStrategy', '--config', '/nonexistent/tradai.config.yaml')
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('/nonexistent/tradai.config.yaml')
  })

  it('unknown config key: exit 2 naming the key and the file', async () => {
    const dir = tempDir()
    writeFileSync(path.join(dir, 'tradai.config.yaml'), 'exchange: binance\nstake_ammount: 10\n')
    const run = await runCli(['strategy', 'backtest', '--strategy', 'SampleRsiStrategy', '--json'], {cwd: dir})
    expect(run.code).toBe(2)
    const error = json<{error: {message: string}}>(run).error
    expect(error.message).toContain('stake_ammount')
    expect(error.message).toContain(path.join(dir, 'tradai.config.yaml'))
  })
})

describe('strategy backtest: signals stop the whole engine tree', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s mid-run exits %i and leaves no engine process behind', async (signal, code) => {
    const {processesIn, waitFor} = await import('../helpers/processes.js')
    const cwd = tempDir('tradai-signal-')
    mkdirSync(path.join(cwd, 'strategies'))
    let pid = 0
    const running = runCli(['strategy', 'backtest', '--strategy', 'SampleRsiStrategy', '--strategy-path', STRATEGIES, '--user-data-dir', fixtureUserData()], {
      cwd,
      onSpawn: (child) => (pid = child.pid!),
    })
    // Wait until the Python engine is running (a process other than tradai itself in that folder).
    expect(await waitFor(() => processesIn(cwd).some((p) => p !== pid), 60_000)).toBe(true)
    process.kill(pid, signal)
    const run = await running
    expect(run.code).toBe(code)
    expect(await waitFor(() => processesIn(cwd).length === 0, 3000)).toBe(true)
    expect(readdirSync(cwd)).toBeDefined()
  })
})
