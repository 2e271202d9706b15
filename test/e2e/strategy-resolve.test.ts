import {copyFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'

import {json, runCli} from '../helpers/cli.js'
import {schemaErrors} from '../helpers/json-schema.js'
import {fixtureUserData, REPO, STRATEGIES, tempDir} from '../helpers/paths.js'

interface ErrorJson {
  error: {code: string; message: string; exitCode: number; details?: {file?: string; line?: number | null}}
}

interface ListEntry {
  name: string
  className: string | null
  baseClass: string | null
  timeframe: string | null
  parameters: Array<{name: string; space: string | null; type: string}>
  status: 'ok' | 'error'
  error: {message: string; file: string; line: number | null} | null
  source: 'static' | 'import'
}

const SPACED = path.join(REPO, 'test/fixtures/strategies/community/spaced_class_strategy.py')
// Built on another file's strategy: the source alone cannot say what it inherits, so list imports it.
const CHILD = `from sample_rsi_strategy import SampleRsiStrategy


class ChildRsiStrategy(SampleRsiStrategy):
    stoploss = -0.07
`

describe('one way to find a strategy: list, show, lint and backtest agree', () => {
  let dir: string
  let spacedFile: string

  beforeAll(() => {
    dir = tempDir('tradai-resolve-')
    spacedFile = path.join(dir, 'spaced_class_strategy.py')
    copyFileSync(SPACED, spacedFile)
    copyFileSync(path.join(STRATEGIES, 'sample_rsi_strategy.py'), path.join(dir, 'sample_rsi_strategy.py'))
    copyFileSync(path.join(REPO, 'test/fixtures/strategies/metadata_free_strategy.py'), path.join(dir, 'metadata_free_strategy.py'))
    writeFileSync(path.join(dir, 'child_rsi_strategy.py'), CHILD)
  })

  it('`class Name (IStrategy)` is a load error naming file and line in list', async () => {
    const list = await runCli(['strategy', 'list', '--strategy-path', dir, '--json'])
    expect(list.code, list.stderr).toBe(0)
    const listed = json<{strategies: ListEntry[]}>(list)
    expect(schemaErrors('strategy-list', listed)).toEqual([])
    const spaced = listed.strategies.find((s) => s.className === 'SpacedClassStrategy')!
    expect(spaced).toMatchObject({status: 'error', error: {file: spacedFile, line: 10}})
    expect(spaced.error!.message).toContain("Freqtrade's loader cannot find class SpacedClassStrategy")
  }, 300_000)

  it('show and backtest of that class exit 2 (STRATEGY_LOAD) with the same file and line', async () => {
    const show = await runCli(['strategy', 'show', 'SpacedClassStrategy', '--strategy-path', dir, '--json'])
    expect(show.code).toBe(2)
    expect(json<ErrorJson>(show).error).toMatchObject({code: 'STRATEGY_LOAD', details: {file: spacedFile, line: 10}})

    const backtest = await runCli([
      'strategy',
      'backtest',
      '--strategy',
      'SpacedClassStrategy',
      '--strategy-path',
      dir,
      '--user-data-dir',
      fixtureUserData(),
      '--pairs',
      'ETH/BTC',
      '--timerange',
      '20180120-20180121',
      '--no-track',
      '--json',
    ])
    expect(backtest.code).toBe(2)
    const {error} = json<ErrorJson>(backtest)
    expect(error).toMatchObject({code: 'STRATEGY_LOAD', details: {file: spacedFile, line: 10}})
    expect(error.message).not.toMatch(/Traceback/)
  }, 300_000)

  it('lint of that class reports TRD005 (an error) at the same line', async () => {
    const lint = await runCli(['strategy', 'lint', 'SpacedClassStrategy', '--strategy-path', dir, '--json'])
    expect(lint.code).toBe(1)
    const findings = json<{findings: Array<{ruleId: string; severity: string; file: string; line: number}>}>(lint).findings
    expect(findings).toContainEqual(expect.objectContaining({ruleId: 'TRD005', severity: 'error', file: spacedFile, line: 10}))
  }, 300_000)

  it('list reads the source: timeframe and parameters of a plain IStrategy, and imports only the file it must', async () => {
    const list = await runCli(['strategy', 'list', '--strategy-path', dir, '--json'])
    const entries = json<{strategies: ListEntry[]}>(list).strategies
    const plain = entries.find((s) => s.className === 'MetadataFreeStrategy')!
    expect(plain).toMatchObject({baseClass: 'IStrategy', timeframe: '5m', status: 'ok', source: 'static'})
    const rsi = entries.find((s) => s.className === 'SampleRsiStrategy')!
    expect(rsi).toMatchObject({source: 'static', timeframe: '5m'})
    expect(rsi.parameters.map((p) => `${p.space}:${p.name}:${p.type}`)).toContain('buy:buy_rsi:int')
    const child = entries.find((s) => s.className === 'ChildRsiStrategy')!
    expect(child).toMatchObject({source: 'import', baseClass: 'TradAIStrategy', status: 'ok'})

    const text = await runCli(['strategy', 'list', '--strategy-path', dir])
    expect(text.stdout).toMatch(/MetadataFreeStrategy\s+–\s+MetadataFreeStrategy\s+IStrategy\s+5m/)
    expect(text.stdout).toContain('Imported 1 file the source alone could not describe: child_rsi_strategy.py')
  }, 300_000)

  it('show imports only the strategy it shows: a broken neighbour does not stop it', async () => {
    const own = tempDir('tradai-resolve-show-')
    copyFileSync(path.join(STRATEGIES, 'sample_rsi_strategy.py'), path.join(own, 'sample_rsi_strategy.py'))
    // Raises when imported: a show that imports the whole folder fails or warns about it.
    writeFileSync(path.join(own, 'explodes.py'), 'raise RuntimeError("imported")\n')
    const show = await runCli(['strategy', 'show', 'SampleRsiStrategy', '--strategy-path', own, '--json'])
    expect(show.code, show.stderr).toBe(0)
    expect(show.stderr).not.toContain('imported')
    expect(json<{className: string}>(show).className).toBe('SampleRsiStrategy')
  }, 300_000)
})
