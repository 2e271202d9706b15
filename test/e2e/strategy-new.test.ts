import {execFile} from 'node:child_process'
import {existsSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {promisify} from 'node:util'
import {beforeAll, describe, expect, it} from 'vitest'

import {json, runCli, type CliResult} from '../helpers/cli.js'
import {ENGINE_DIR, fixtureUserData, REPO, tempDir} from '../helpers/paths.js'

const run = promisify(execFile)

describe('tradai strategy new', () => {
  let project: string
  let created: CliResult

  beforeAll(async () => {
    project = tempDir('tradai-new-')
    created = await runCli(['strategy', 'new', 'MyDipStrategy', '--dir', 'strategies', '--tests-dir', 'tests', '--pairs', 'ETH/BTC', 'LTC/BTC', '--json'], {cwd: project})
  })

  it('writes the strategy and its test, and says where (one JSON document)', () => {
    expect(created.code, created.stderr).toBe(0)
    const result = json<{className: string; strategyFile: string; testFile: string}>(created)
    expect(result).toMatchObject({
      className: 'MyDipStrategy',
      strategyFile: path.join(project, 'strategies/my_dip_strategy.py'),
      testFile: path.join(project, 'tests/test_my_dip_strategy.py'),
    })
    const source = readFileSync(result.strategyFile, 'utf8')
    expect(source).toContain('class MyDipStrategy(TradAIStrategy):')
    expect(source).toContain('default_pairs=["ETH/BTC", "LTC/BTC"]')
    expect(source).toContain('timeframe="5m"')
  })

  it('scaffolds a strategy that lints clean, even under --strict', async () => {
    const result = await runCli(['strategy', 'lint', 'MyDipStrategy', '--strategy-path', 'strategies', '--strict', '--json'], {cwd: project})
    expect(result.code, result.stderr).toBe(0)
    expect(json<{findings: unknown[]; strategies: unknown[]}>(result)).toMatchObject({findings: [], strategies: [{className: 'MyDipStrategy'}]})
  })

  it('generates a test that lints and backtests the strategy on the fixture candles, and passes', async () => {
    // The generated file is a stdlib unittest driving the CLI, so any Python runs it.
    const {stderr} = await run('python3', ['-m', 'unittest', 'discover', '-s', 'tests', '-v'], {
      cwd: project,
      env: {
        ...process.env,
        CI: 'true',
        TRADAI_BIN: `${process.execPath} ${path.join(REPO, 'bin/run.js')}`,
        TRADAI_ENGINE_DIR: ENGINE_DIR,
        TRADAI_USER_DATA_DIR: fixtureUserData(),
        TRADAI_TIMERANGE: '20180120-20180125',
        TRADAI_MLFLOW_TRACKING_URI: 'http://127.0.0.1:9',
      },
      timeout: 600_000,
    })
    expect(stderr).toMatch(/test_backtests .* ok/)
    expect(stderr).toMatch(/test_lints_clean .* ok/)
    expect(stderr).toMatch(/Ran 2 tests/)
  })

  it('backtests with trades on the fixture candles', async () => {
    const result = await runCli(
      [
        'strategy',
        'backtest',
        '--strategy',
        'MyDipStrategy',
        '--strategy-path',
        'strategies',
        '--user-data-dir',
        fixtureUserData(),
        '--timerange',
        '20180120-20180125',
        '--no-track',
        '--json',
      ],
      {cwd: project},
    )
    expect(result.code, result.stderr).toBe(0)
    expect(json<{metrics: {totalTrades: number}}>(result).metrics.totalTrades).toBeGreaterThan(0)
  })

  it('refuses to overwrite an existing file (exit 2) and leaves it untouched', async () => {
    const file = path.join(project, 'strategies/my_dip_strategy.py')
    const before = readFileSync(file, 'utf8')
    const again = await runCli(['strategy', 'new', 'MyDipStrategy', '--dir', 'strategies', '--tests-dir', 'tests', '--json'], {cwd: project})
    expect(again.code).toBe(2)
    expect(json<{error: {code: string; message: string}}>(again).error.message).toContain('already exists')
    expect(readFileSync(file, 'utf8')).toBe(before)
  })

  it('refuses an invalid class name (exit 2) and writes nothing', async () => {
    const dir = tempDir('tradai-new-')
    const bad = await runCli(['strategy', 'new', 'my-strategy', '--dir', 'strategies'], {cwd: dir})
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('not a usable strategy class name')
    expect(existsSync(path.join(dir, 'strategies'))).toBe(false)
  })
})
