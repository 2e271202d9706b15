import {execFileSync} from 'node:child_process'
import {copyFileSync, mkdirSync, readdirSync, readFileSync, truncateSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'

import {json, runCli} from '../helpers/cli.js'
import {schemaErrors} from '../helpers/json-schema.js'
import {ENGINE_PYTHON, FIXTURES, tempDir} from '../helpers/paths.js'

/**
 * Bad candle files and unusable output folders: each is a clear error naming the file or folder
 * with the documented exit code, never a crash (exit 3/70), and `data list` says what is wrong.
 */
const DATA = ['--timeframe', '5m', '--timerange', '20180115-20180118', '--no-track']

interface DataListJson {
  files: Array<{pair: string; status: string; badRows: number; problem: string | null; count: number}>
}

interface ErrorJson {
  error: {code: string; message: string; exitCode: number; suggestions: string[]}
}

describe('bad data and folders', {timeout: 300_000}, () => {
  let userData: string
  let exchangeDir: string

  beforeAll(() => {
    userData = tempDir('tradai-baddata-')
    exchangeDir = path.join(userData, 'data', 'binance')
    mkdirSync(exchangeDir, {recursive: true})
    copyFileSync(path.join(FIXTURES, 'ETH_BTC-5m.feather'), path.join(exchangeDir, 'ETH_BTC-5m.feather'))
    // Truncated mid-file, as an interrupted copy leaves it.
    copyFileSync(path.join(FIXTURES, 'LTC_BTC-5m.feather'), path.join(exchangeDir, 'LTC_BTC-5m.feather'))
    truncateSync(path.join(exchangeDir, 'LTC_BTC-5m.feather'), 200)
    // NaN, zero and negative prices in otherwise good candles (written with Freqtrade's own pandas/pyarrow).
    const damaged = path.join(exchangeDir, 'XLM_BTC-5m.feather')
    copyFileSync(path.join(FIXTURES, 'XLM_BTC-5m.feather'), damaged)
    execFileSync(ENGINE_PYTHON, [
      '-c',
      `import pandas as pd\nf=${JSON.stringify(damaged)}\nd=pd.read_feather(f)\nd.loc[5000,'close']=float('nan')\nd.loc[5001,'open']=0\nd.loc[5002,'low']=-1\nd.to_feather(f)\n`,
    ])
  })

  it('data list marks the truncated file unreadable and counts the bad-price rows', async () => {
    const result = await runCli(['data', 'list', '--user-data-dir', userData, '--json'])
    expect(result.code, result.stderr).toBe(0)
    const doc = json<DataListJson>(result)
    expect(schemaErrors('data-list', doc)).toEqual([])
    const byPair = Object.fromEntries(doc.files.map((file) => [file.pair, file]))
    expect(byPair['LTC/BTC']).toMatchObject({status: 'unreadable', count: 0, problem: expect.stringMatching(/cannot be read\. Re-import it: delete .*LTC_BTC-5m\.feather/)})
    expect(byPair['XLM/BTC']).toMatchObject({status: 'bad-rows', badRows: 3})
    expect(byPair['ETH/BTC']).toMatchObject({status: 'ok', badRows: 0, problem: null})
    const text = await runCli(['data', 'list', '--user-data-dir', userData])
    expect(text.stdout).toMatch(/unreadable/)
    expect(text.stdout).toMatch(/3 bad rows/)
  })

  it('a backtest on the truncated file exits 2 naming the file and how to re-import it', async () => {
    const result = await runCli(['strategy', 'backtest', '--strategy', 'SampleRsiStrategy', '--pairs', 'LTC/BTC', ...DATA, '--user-data-dir', userData, '--json'])
    expect(result.code, result.stderr).toBe(2)
    const error = json<ErrorJson>(result).error
    expect(error).toMatchObject({code: 'DATA_UNREADABLE', message: expect.stringContaining(path.join(exchangeDir, 'LTC_BTC-5m.feather'))})
    expect(error.suggestions.join(' ')).toMatch(/Re-import it: .*tradai data download --exchange binance --pairs LTC\/BTC --timeframes 5m/)
  })

  it('a backtest on candles with bad prices warns naming the pair and the count', async () => {
    const result = await runCli(['strategy', 'backtest', '--strategy', 'SampleRsiStrategy', '--pairs', 'XLM/BTC', ...DATA, '--user-data-dir', userData, '--json'])
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr).toMatch(/XLM\/BTC: 3 candle row\(s\) with NaN, zero or negative prices in XLM_BTC-5m\.feather/)
  })

  it('--strict-data (and config data.strict) refuses candles with bad prices: exit 2 naming the pair, the count and how to re-import', async () => {
    const file = path.join(exchangeDir, 'XLM_BTC-5m.feather')
    const result = await runCli([
      'strategy',
      'backtest',
      '--strategy',
      'SampleRsiStrategy',
      '--pairs',
      'ETH/BTC',
      'XLM/BTC',
      ...DATA,
      '--user-data-dir',
      userData,
      '--strict-data',
      '--json',
    ])
    expect(result.code, result.stderr).toBe(2)
    const error = json<ErrorJson>(result).error
    expect(error.code).toBe('DATA_BAD_ROWS')
    expect(error.message).toContain(`XLM/BTC: 3 row(s) in ${file}`)
    expect(error.message).not.toContain('ETH/BTC')
    expect(error.suggestions.join(' ')).toMatch(/Re-import it: delete .*XLM_BTC-5m\.feather, then `tradai data download --exchange binance --pairs XLM\/BTC --timeframes 5m`/)
    // The same from the config file; --no-strict-data overrides it back to a warning.
    const configFile = path.join(tempDir('tradai-strict-'), 'tradai.config.yaml')
    writeFileSync(configFile, 'data:\n  strict: true\n')
    const fromConfig = await runCli([
      'strategy',
      'backtest',
      '--strategy',
      'SampleRsiStrategy',
      '--pairs',
      'XLM/BTC',
      ...DATA,
      '--user-data-dir',
      userData,
      '--config',
      configFile,
      '--json',
    ])
    expect(fromConfig.code, fromConfig.stderr).toBe(2)
    expect(json<ErrorJson>(fromConfig).error.code).toBe('DATA_BAD_ROWS')
    const overridden = await runCli([
      'strategy',
      'backtest',
      '--strategy',
      'SampleRsiStrategy',
      '--pairs',
      'XLM/BTC',
      ...DATA,
      '--user-data-dir',
      userData,
      '--no-strict-data',
      '--config',
      configFile,
      '--json',
    ])
    expect(overridden.code, overridden.stderr).toBe(0)
    expect(overridden.stderr).toMatch(/XLM\/BTC: 3 candle row\(s\)/)
    // Clean candles pass under --strict-data.
    const clean = await runCli(['strategy', 'backtest', '--strategy', 'SampleRsiStrategy', '--pairs', 'ETH/BTC', ...DATA, '--user-data-dir', userData, '--strict-data', '--json'])
    expect(clean.code, clean.stderr).toBe(0)
  })

  it('an output folder that cannot hold a run is exit 2 naming the folder (root ignores permissions, so: a file, and a path under read-only /sys)', async () => {
    const file = path.join(tempDir('tradai-outfile-'), 'not-a-folder')
    writeFileSync(file, 'x')
    for (const [outputDir, why] of [
      [file, /is not a folder \(ENOTDIR\)/],
      ['/sys/tradai-no-such-folder/out', /is not writable \(EPERM\)/],
    ] as const) {
      const result = await runCli([
        'strategy',
        'backtest',
        '--strategy',
        'SampleRsiStrategy',
        '--pairs',
        'ETH/BTC',
        ...DATA,
        '--user-data-dir',
        userData,
        '--output-dir',
        outputDir,
        '--json',
      ])
      expect(result.code, result.stderr).toBe(2)
      const error = json<ErrorJson>(result).error
      expect(error.code).toBe('OUTPUT_DIR')
      expect(error.message).toContain(`The output folder ${outputDir} `)
      expect(error.message).toMatch(why)
    }
  })

  it('a failed run leaves its folder marked failed with the error; a finished one finished', async () => {
    const output = tempDir('tradai-runs-')
    const failed = await runCli(['strategy', 'backtest', '--strategy', 'SampleRsiStrategy', '--pairs', 'LTC/BTC', ...DATA, '--user-data-dir', userData, '--output-dir', output])
    expect(failed.code).toBe(2)
    const [folder] = readdirSync(output)
    const status = JSON.parse(readFileSync(path.join(output, folder!, 'run-status.json'), 'utf8')) as {status: string; error: {code: string; exitCode: number; message: string}}
    expect(status).toMatchObject({status: 'failed', error: {code: 'DATA_UNREADABLE', exitCode: 2, message: expect.stringContaining('LTC_BTC-5m.feather')}})

    const ok = await runCli([
      'strategy',
      'backtest',
      '--strategy',
      'SampleRsiStrategy',
      '--pairs',
      'ETH/BTC',
      ...DATA,
      '--user-data-dir',
      userData,
      '--output-dir',
      output,
      '--json',
    ])
    expect(ok.code, ok.stderr).toBe(0)
    const runDir = json<{runDir: string}>(ok).runDir
    expect(JSON.parse(readFileSync(path.join(runDir, 'run-status.json'), 'utf8'))).toMatchObject({status: 'finished', error: null})
  })
})
