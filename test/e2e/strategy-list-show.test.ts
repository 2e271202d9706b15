import {copyFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'

import {json, runCli, type CliResult} from '../helpers/cli.js'
import {schemaErrors} from '../helpers/json-schema.js'
import {fixtureUserData, STRATEGIES, tempDir} from '../helpers/paths.js'

interface ListJson {
  strategiesDir: string
  strategies: Array<{
    name: string
    className: string | null
    file: string
    line: number | null
    baseClass: string | null
    metadata: Record<string, unknown> | null
    status: 'ok' | 'error'
    error: {message: string; file: string; line: number | null} | null
  }>
}

interface ShowJson {
  name: string
  className: string
  baseClass: string
  metadata: {version: string} | null
  timeframe: string
  minimalRoi: Record<string, number>
  stoploss: number
  trailing: {trailingStop: boolean}
  parameters: Array<{name: string; space: string; type: string; low?: number; high?: number; decimals?: number; default: unknown; value: unknown}>
  paramsFile: string | null
}

interface ErrorJson {
  error: {code: string; message: string; exitCode: number; suggestions: string[]; details?: Record<string, unknown>}
}

// Line 6 lacks its colon: a SyntaxError at a known line.
const BROKEN_SYNTAX = `from freqtrade.strategy import IStrategy


class BrokenSyntaxStrategy(IStrategy):
    timeframe = "5m"
    def populate_indicators(self, dataframe, metadata)
        return dataframe
`
// Line 3 imports a module that does not exist: the file fails while importing.
const BROKEN_IMPORT = `from freqtrade.strategy import IStrategy

import tradai_no_such_module


class BrokenImportStrategy(IStrategy):
    timeframe = "5m"
`

describe('strategy list / show (real engine)', () => {
  let strategiesDir: string
  let list: CliResult

  beforeAll(async () => {
    // A strategy folder of our own: one good TradAIStrategy (with a params file), two broken files.
    strategiesDir = tempDir('tradai-strategies-')
    copyFileSync(path.join(STRATEGIES, 'sample_rsi_strategy.py'), path.join(strategiesDir, 'sample_rsi_strategy.py'))
    // Freqtrade's params file beside the strategy: the "current value" then differs from the default.
    writeFileSync(path.join(strategiesDir, 'sample_rsi_strategy.json'), JSON.stringify({strategy_name: 'SampleRsiStrategy', params: {buy: {buy_rsi: 25}}, ft_stratparam_v: 1}))
    writeFileSync(path.join(strategiesDir, 'broken_syntax.py'), BROKEN_SYNTAX)
    writeFileSync(path.join(strategiesDir, 'broken_import.py'), BROKEN_IMPORT)
    list = await runCli(['strategy', 'list', '--strategy-path', strategiesDir, '--json'])
  })

  it('list --json: one document, good strategies ok, broken files as status error with file and line', () => {
    expect(list.code, list.stderr).toBe(0)
    const result = json<ListJson>(list)
    expect(schemaErrors('strategy-list', result)).toEqual([])
    expect(result.strategiesDir).toBe(strategiesDir)

    const rsi = result.strategies.find((s) => s.className === 'SampleRsiStrategy')
    expect(rsi).toMatchObject({name: 'SampleRsiStrategy', baseClass: 'TradAIStrategy', status: 'ok', error: null})
    expect(rsi?.metadata).toMatchObject({version: '1.0.0', timeframe: '5m', exchange: 'binance'})
    expect(rsi?.file).toBe(path.join(strategiesDir, 'sample_rsi_strategy.py'))

    const syntax = result.strategies.find((s) => s.file.endsWith('broken_syntax.py'))
    expect(syntax?.status).toBe('error')
    expect(syntax?.error).toMatchObject({file: path.join(strategiesDir, 'broken_syntax.py'), line: 6})
    expect(syntax?.error?.message).toMatch(/SyntaxError/)

    const missing = result.strategies.find((s) => s.file.endsWith('broken_import.py'))
    expect(missing?.status).toBe('error')
    expect(missing?.error).toMatchObject({file: path.join(strategiesDir, 'broken_import.py'), line: 3})
    expect(missing?.error?.message).toMatch(/tradai_no_such_module/)
    expect(result.strategies).toHaveLength(3)
  })

  it('list (human): a table with each load status and the failing file:line', async () => {
    const run = await runCli(['strategy', 'list', '--strategy-path', strategiesDir])
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toMatch(/Name\s+Version\s+Class\s+Base/)
    expect(run.stdout).toMatch(/SampleRsiStrategy\s+1\.0\.0\s+SampleRsiStrategy\s+TradAIStrategy\s+5m\s+\S*sample_rsi_strategy\.py:\d+\s+ok/)
    expect(run.stdout).toContain('broken_syntax.py:6')
    expect(run.stdout).toContain('broken_import.py:3')
    expect(run.stdout).toMatch(/2 file\(s\) failed to load/)
  })

  it("list again: the engine's last answer is reused while no input changed (no Python start), the same bytes; an added file or a changed PYTHON* variable is seen", async () => {
    const dir = tempDir('tradai-strategies-snapshot-')
    copyFileSync(path.join(STRATEGIES, 'sample_rsi_strategy.py'), path.join(dir, 'sample_rsi_strategy.py'))
    writeFileSync(path.join(dir, 'broken_syntax.py'), BROKEN_SYNTAX)
    const args = ['strategy', 'list', '--strategy-path', dir]
    const REUSED = /reusing the engine's last answer/
    const fromPython = await runCli([...args, '--json'])
    expect(fromPython.code, fromPython.stderr).toBe(0)

    const reused = await runCli([...args, '--json'])
    expect(reused.code, reused.stderr).toBe(0)
    expect(reused.stdout).toBe(fromPython.stdout)
    const human = await runCli([...args, '--verbose'])
    expect(human.stderr).toMatch(REUSED)
    expect(human.stderr).toContain('broken_syntax.py:6') // the engine's warning, replayed
    // Another PYTHON* variable can change sys.path: Python answers, and prints the same table.
    const otherEnv = await runCli([...args, '--verbose'], {env: {PYTHONWARNINGS: 'ignore::DeprecationWarning:tradai_snapshot_test'}})
    expect(otherEnv.stderr).not.toMatch(REUSED)
    expect(otherEnv.stdout).toBe(human.stdout)

    writeFileSync(path.join(dir, 'broken_import.py'), BROKEN_IMPORT)
    const added = await runCli([...args, '--json', '--verbose'])
    expect(added.code, added.stderr).toBe(0)
    expect(
      json<ListJson>(added)
        .strategies.map((s) => path.basename(s.file))
        .sort(),
    ).toEqual(['broken_import.py', 'broken_syntax.py', 'sample_rsi_strategy.py'])
  })

  it('show --json: parameters with ranges, defaults and the params-file values, ROI, stoploss', async () => {
    const run = await runCli(['strategy', 'show', 'SampleRsiStrategy', '--strategy-path', strategiesDir, '--json'])
    expect(run.code, run.stderr).toBe(0)
    const result = json<ShowJson>(run)
    expect(schemaErrors('strategy-show', result)).toEqual([])
    expect(result).toMatchObject({name: 'SampleRsiStrategy', className: 'SampleRsiStrategy', baseClass: 'TradAIStrategy', timeframe: '5m', stoploss: -0.05})
    expect(result.minimalRoi).toEqual({'0': 0.03, '60': 0.015, '180': 0.005})
    expect(result.trailing.trailingStop).toBe(false)
    expect(result.paramsFile).toBe(path.join(strategiesDir, 'sample_rsi_strategy.json'))
    const byName = Object.fromEntries(result.parameters.map((p) => [p.name, p]))
    expect(byName.buy_rsi).toMatchObject({space: 'buy', type: 'int', low: 15, high: 45, default: 30, value: 25})
    expect(byName.buy_bb_offset).toMatchObject({type: 'decimal', low: 0.97, high: 1.01, decimals: 3, default: 1, value: 1})
    expect(byName.sell_rsi).toMatchObject({space: 'sell', low: 55, high: 85, value: 68})
  })

  it('show (human): metadata, settings, ROI table and the parameter table', async () => {
    const run = await runCli(['strategy', 'show', 'SampleRsiStrategy', '--strategy-path', strategiesDir])
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toMatch(/Name\s+SampleRsiStrategy v1\.0\.0/)
    expect(run.stdout).toMatch(/Params file\s+\S*sample_rsi_strategy\.json/)
    expect(run.stdout).toMatch(/Timeframe\s+5m/)
    expect(run.stdout).toMatch(/Stoploss\s+-5\.00%/)
    expect(run.stdout).toMatch(/Trailing stop\s+off/)
    expect(run.stdout).toMatch(/ROI table[\s\S]*\b60\s+1\.50%/)
    expect(run.stdout).toMatch(/buy\s+buy_rsi\s+int\s+15 … 45\s+30\s+25\s+yes/)
    expect(run.stdout).toMatch(/sell\s+sell_bb_exit\s+decimal\s+0 … 1 \(2 decimals\)\s+0\.5\s+0\.5/)
  })

  it('show of an unknown name exits 5 and names the strategies found', async () => {
    const run = await runCli(['strategy', 'show', 'NoSuchStrategy', '--strategy-path', strategiesDir, '--json'])
    expect(run.code).toBe(5)
    const {error} = json<ErrorJson>(run)
    expect(error.code).toBe('STRATEGY_NOT_FOUND')
    expect(error.exitCode).toBe(5)
    expect(error.message).toContain('NoSuchStrategy')
    expect(error.message).toContain('SampleRsiStrategy')
    expect(error.details?.available).toEqual(['SampleRsiStrategy'])
  })

  it('show of a strategy whose file fails to import exits 2 with its file and line, no stack trace', async () => {
    const run = await runCli(['strategy', 'show', 'BrokenSyntaxStrategy', '--strategy-path', strategiesDir])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('broken_syntax.py:6')
    expect(run.stderr).not.toMatch(/Traceback|at .*\.js:\d+/)
  })

  it('backtest of that strategy also exits 2 naming file and line', async () => {
    const run = await runCli([
      'strategy',
      'backtest',
      '--strategy',
      'BrokenImportStrategy',
      '--strategy-path',
      strategiesDir,
      '--user-data-dir',
      fixtureUserData(),
      '--pairs',
      'ETH/BTC',
      '--no-track',
      '--json',
    ])
    expect(run.code).toBe(2)
    const {error} = json<ErrorJson>(run)
    expect(error.code).toBe('STRATEGY_LOAD')
    expect(`${error.message} ${JSON.stringify(error.details)}`).toContain('broken_import.py')
    expect(error.details?.line).toBe(3)
  })

  it('a strategy path that does not exist is a usage error (exit 2)', async () => {
    const run = await runCli(['strategy', 'list', '--strategy-path', path.join(strategiesDir, 'nope'), '--json'])
    expect(run.code).toBe(2)
    expect(json<ErrorJson>(run).error.message).toContain('nope')
  })
})
