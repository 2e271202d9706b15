import {readFileSync, readdirSync, existsSync} from 'node:fs'
import path from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'

import {json, runCli} from '../helpers/cli.js'
import {enginePython} from '../helpers/engine-python.js'
import {schemaErrors} from '../helpers/json-schema.js'
import {FIXTURES, fixtureUserData, tempDir} from '../helpers/paths.js'

interface CandleSummary {
  pair: string
  timeframe: string
  first: string | null
  last: string | null
  count: number
  gaps: number
  largestGap: number | null
}
interface DataListJson {
  dataDir: string
  files: Array<CandleSummary & {file: string; exchange: string; candleType: string; format: string}>
}
interface ImportJson {
  exchange: string
  imported: Array<{source: string; file: string; pair: string; timeframe: string; count: number; first: string; last: string}>
}
interface SampleJson {
  files: string[]
  marker: string
  synthetic: boolean
  seed: number
  count: number
  pairs: string[]
}
interface ErrorJson {
  error: {code: string; message: string; exitCode: number; suggestions: string[]; details?: Record<string, unknown>}
}

/** Counts, first/last and missing candles of a fixture file, computed independently with pandas. */
function fixtureStats(file: string): {count: number; first: string; last: string; gaps: number} {
  return JSON.parse(
    enginePython(
      `import json, sys, pandas as pd
df = pd.read_feather(sys.argv[1])
d = df["date"]
expected = int((d.iloc[-1] - d.iloc[0]) / pd.Timedelta(minutes=5)) + 1
print(json.dumps({"count": len(df), "first": d.iloc[0].strftime("%Y-%m-%dT%H:%M:%SZ"), "last": d.iloc[-1].strftime("%Y-%m-%dT%H:%M:%SZ"), "gaps": expected - len(df)}))`,
      [file],
    ),
  ) as {count: number; first: string; last: string; gaps: number}
}

const SLICE = 300

describe('data list (real engine, fixture candles)', () => {
  it('--json lists every fixture file with its range, count and gaps, as one document', async () => {
    const run = await runCli(['data', 'list', '--user-data-dir', fixtureUserData(), '--json'])
    expect(run.code, run.stderr).toBe(0)
    const result = json<DataListJson>(run)
    expect(schemaErrors('data-list', result)).toEqual([])
    const fixtureFiles = readdirSync(FIXTURES).filter((name) => name.endsWith('.feather'))
    expect(result.files.map((f) => path.basename(f.file)).sort()).toEqual(fixtureFiles.sort())
    for (const name of ['ETH_BTC-5m.feather', 'ADA_BTC-5m.feather']) {
      const listed = result.files.find((f) => path.basename(f.file) === name)!
      expect(listed).toMatchObject({exchange: 'binance', timeframe: '5m', candleType: 'spot', format: 'feather', ...fixtureStats(path.join(FIXTURES, name))})
    }
    // ADA/BTC has holes in the fixture: the largest one is reported in minutes.
    const ada = result.files.find((f) => f.pair === 'ADA/BTC')!
    expect(ada.gaps).toBeGreaterThan(0)
    expect(ada.largestGap).toBeGreaterThanOrEqual(5)
  })
})

describe('data import (real engine)', () => {
  let sources: string
  let userData: string
  let imported: ImportJson

  beforeAll(async () => {
    // Small candle files in every format, cut from the real fixture candles with the engine's pandas.
    sources = tempDir('tradai-import-src-')
    enginePython(
      `import json, sys, pandas as pd
fixtures, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
def cut(pair):
    return pd.read_feather(f"{fixtures}/{pair}-5m.feather").iloc[100:100 + n].reset_index(drop=True)
eth = cut("ETH_BTC")
eth.assign(date=eth["date"].dt.strftime("%Y-%m-%d %H:%M:%S")).to_csv(f"{out}/ETH_BTC-5m.csv", index=False)
ltc = cut("LTC_BTC")
rows = [[int(r.date.timestamp() * 1000), r.open, r.high, r.low, r.close, r.volume] for r in ltc.itertuples()]
open(f"{out}/LTC_BTC-5m.json", "w").write(json.dumps(rows))
cut("XLM_BTC").to_parquet(f"{out}/XLM_BTC-5m.parquet")
cut("ADA_BTC").to_feather(f"{out}/ADA_BTC-5m.feather")
trx = cut("TRX_BTC")
trx.assign(date=(trx["date"].astype("int64") // 10**9)).to_csv(f"{out}/my-candles.csv", index=False)
# Bad files: a missing column, two rows swapped, a repeated timestamp.
eth.drop(columns=["volume"]).to_csv(f"{out}/bad_missing-5m.csv", index=False)
swapped = eth.copy(); swapped.iloc[[10, 11]] = swapped.iloc[[11, 10]].to_numpy()
swapped.to_csv(f"{out}/bad_unsorted-5m.csv", index=False)
pd.concat([eth.iloc[:21], eth.iloc[20:]]).to_csv(f"{out}/bad_duplicate-5m.csv", index=False)`,
      [FIXTURES, sources, String(SLICE)],
    )
    userData = tempDir('tradai-import-ud-')
    const run = await runCli([
      'data',
      'import',
      ...['ETH_BTC-5m.csv', 'LTC_BTC-5m.json', 'XLM_BTC-5m.parquet', 'ADA_BTC-5m.feather'].map((name) => path.join(sources, name)),
      '--user-data-dir',
      userData,
      '--json',
    ])
    expect(run.code, run.stderr).toBe(0)
    imported = json<ImportJson>(run)
  })

  it('imports csv, json, parquet and feather into <user_data>/data/<exchange>/ with the right ranges', () => {
    expect(schemaErrors('data-import', imported)).toEqual([])
    expect(imported.exchange).toBe('binance')
    expect(imported.imported.map((i) => i.pair).sort()).toEqual(['ADA/BTC', 'ETH/BTC', 'LTC/BTC', 'XLM/BTC'])
    for (const entry of imported.imported) {
      expect(entry.count).toBe(SLICE)
      expect(entry.timeframe).toBe('5m')
      expect(path.dirname(entry.file)).toBe(path.join(userData, 'data', 'binance'))
      expect(existsSync(entry.file)).toBe(true)
      const fixture = fixtureStats(path.join(FIXTURES, `${entry.pair.replace('/', '_')}-5m.feather`))
      // The slice starts 100 candles into the fixture: same clock, whatever the source format.
      expect(entry.first > fixture.first && entry.last < fixture.last).toBe(true)
    }
    const eth = imported.imported.find((i) => i.pair === 'ETH/BTC')!
    const ltc = imported.imported.find((i) => i.pair === 'LTC/BTC')!
    expect(eth.first).toBe(ltc.first)
  })

  it('data list then shows the imported files (human table)', async () => {
    const run = await runCli(['data', 'list', '--user-data-dir', userData])
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toMatch(/Exchange\s+Pair\s+Timeframe\s+Type\s+Format\s+First\s+Last\s+Candles\s+Missing\s+Largest gap/)
    for (const pair of ['ADA/BTC', 'ETH/BTC', 'LTC/BTC', 'XLM/BTC']) expect(run.stdout).toMatch(new RegExp(`binance\\s+${pair}\\s+5m\\s+spot\\s+feather.*\\s${SLICE}\\s`))
    expect(run.stdout).toContain('4 file(s)')
  })

  it('--pair and --timeframe name a file whose name says neither (epoch-second dates)', async () => {
    const run = await runCli([
      'data',
      'import',
      path.join(sources, 'my-candles.csv'),
      '--pair',
      'TRX/BTC',
      '--timeframe',
      '5m',
      '--exchange',
      'kraken',
      '--user-data-dir',
      userData,
      '--json',
    ])
    expect(run.code, run.stderr).toBe(0)
    const [entry] = json<ImportJson>(run).imported
    expect(entry).toMatchObject({pair: 'TRX/BTC', timeframe: '5m', count: SLICE, file: path.join(userData, 'data', 'kraken', 'TRX_BTC-5m.feather')})
  })

  const badCases: Array<[string, RegExp]> = [
    ['bad_missing-5m.csv', /missing column\(s\) volume/],
    ['bad_unsorted-5m.csv', /row 12\b.*not in ascending order/],
    ['bad_duplicate-5m.csv', /row 22\b.*duplicate timestamp/],
  ]
  for (const [file, problem] of badCases) {
    it(`rejects ${file} with exit 2, naming the file and the problem, and writes nothing`, async () => {
      const target = tempDir('tradai-import-bad-')
      // A good file beside the bad one: nothing may be written when any file is bad.
      const run = await runCli(['data', 'import', path.join(sources, 'ETH_BTC-5m.csv'), path.join(sources, file), '--user-data-dir', target])
      expect(run.code, run.stderr).toBe(2)
      expect(run.stderr).toContain(file)
      expect(run.stderr).toMatch(problem)
      expect(run.stderr).not.toMatch(/Traceback/)
      expect(existsSync(path.join(target, 'data', 'binance')) ? readdirSync(path.join(target, 'data', 'binance')) : []).toEqual([])
    })
  }

  it('malformed --pair / --timeframe are refused before the engine starts (exit 2)', async () => {
    // The mechanism, not the clock: with no engine at all (and no auto-setup), reaching the engine
    // would be exit 3 "engine not ready"; exit 2 naming the value proves the refusal came first.
    const noEngine = {TRADAI_ENGINE_DIR: tempDir('tradai-no-engine-'), TRADAI_ENGINE_AUTO_SETUP: 'false'}
    for (const [flag, value, message] of [
      ['--pair', 'ethbtc', /Malformed pair "ethbtc"/],
      ['--timeframe', '5x', /timeframe.*5x/],
    ] as const) {
      const run = await runCli(['data', 'import', path.join(sources, 'ETH_BTC-5m.csv'), flag, value, '--user-data-dir', userData, '--json'], {env: noEngine})
      expect(run.code, run.stderr).toBe(2)
      expect(json<ErrorJson>(run).error.message).toMatch(message)
    }
  })
})

describe('data download / markets offline', () => {
  // The probe must fail here: no DNS in the test sandbox, and any proxy points at a closed port.
  const offline = {HTTPS_PROXY: 'http://127.0.0.1:9', HTTP_PROXY: 'http://127.0.0.1:9', ALL_PROXY: 'http://127.0.0.1:9'}

  it('download fails fast with exit 3 and says how to work offline', async () => {
    const target = tempDir()
    const run = await runCli(['data', 'download', '--pairs', 'ETH/BTC', '--timeframes', '5m', '--days', '2', '--user-data-dir', target, '--json'], {env: offline})
    expect(run.code, run.stderr).toBe(3)
    const {error} = json<ErrorJson>(run)
    expect(error.code).toBe('NETWORK')
    // Fast by mechanism: the failure is the engine's reachability probe (network.py, one DNS
    // lookup + TCP connect bounded by PROBE_TIMEOUT_SECONDS), so ccxt's retrying download never
    // started: no candle file, not even the exchange's data folder.
    expect(error.message).toMatch(/^cannot reach api\.binance\.com: /)
    expect(error.suggestions.join(' ')).toMatch(/data import/)
    expect(existsSync(path.join(target, 'data', 'binance'))).toBe(false)
  })

  it('markets fails fast with exit 3', async () => {
    const run = await runCli(['data', 'markets', '--user-data-dir', tempDir(), '--json'], {env: offline})
    expect(run.code, run.stderr).toBe(3)
    // The probe's refusal (bounded by PROBE_TIMEOUT_SECONDS), not a ccxt timeout after retries.
    expect(json<ErrorJson>(run).error.message).toMatch(/^cannot reach api\.binance\.com: /)
  })

  it('malformed download requests are usage errors (exit 2) before anything starts', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--pairs', 'ETH-BTC'], /ETH-BTC/],
      [['--pairs', 'ETH/BTC', '--timeframes', '7x'], /Malformed timeframe "7x"/],
      [['--pairs', 'ETH/BTC', '--timerange', '20180230-'], /impossible date 20180230/],
      [['--pairs', 'ETH/BTC', '--days', '0'], /--days must be a whole number of at least 1/],
      [['--pairs', 'ETH/BTC', '--days', '3', '--timerange', '20180101-'], /--timerange|--days/],
      [['--timeframes', '5m'], /Name the pairs to download/],
    ]
    for (const [args, message] of cases) {
      const run = await runCli(['data', 'download', ...args, '--user-data-dir', tempDir(), '--json'])
      expect(run.code, args.join(' ')).toBe(2)
      expect(json<ErrorJson>(run).error.message, args.join(' ')).toMatch(message)
    }
  })
})

describe('data sample', () => {
  it('writes deterministic SYNTHETIC candles that data list then shows', async () => {
    const userData = tempDir('tradai-sample-')
    const run = await runCli(['data', 'sample', '--user-data-dir', userData, '--days', '2', '--seed', '7', '--json'])
    expect(run.code, run.stderr).toBe(0)
    const sample = json<SampleJson>(run)
    expect(schemaErrors('data-sample', sample)).toEqual([])
    expect(sample).toMatchObject({synthetic: true, seed: 7, pairs: ['ETH/BTC', 'LTC/BTC'], count: 576})
    expect(readFileSync(sample.marker, 'utf8')).toMatch(/SYNTHETIC/)

    const list = await runCli(['data', 'list', '--user-data-dir', userData, '--json'])
    expect(list.code, list.stderr).toBe(0)
    const listed = json<DataListJson>(list)
    expect(listed.files.map((f) => f.file).sort()).toEqual([...sample.files].sort())
    for (const file of listed.files) expect(file).toMatchObject({timeframe: '5m', count: 576, gaps: 0, first: '2024-01-01T00:00:00Z'})

    // Same seed, same candles: a second sample elsewhere is byte-identical.
    const again = tempDir('tradai-sample-')
    const second = await runCli(['data', 'sample', '--user-data-dir', again, '--days', '2', '--seed', '7', '--json'])
    expect(second.code, second.stderr).toBe(0)
    for (const file of sample.files) {
      expect(readFileSync(path.join(again, path.relative(userData, file))).equals(readFileSync(file)), file).toBe(true)
    }
  })

  it('refuses to write into linked real candles (exit 2)', async () => {
    const run = await runCli(['data', 'sample', '--user-data-dir', fixtureUserData(), '--days', '1', '--json'])
    expect(run.code).toBe(2)
    expect(json<ErrorJson>(run).error.message).toMatch(/links to/)
  })

  it('a malformed --pairs value is a usage error naming the flag (exit 2)', async () => {
    const run = await runCli(['data', 'sample', '--pairs', 'eth/btc', '--user-data-dir', tempDir(), '--json'])
    expect(run.code).toBe(2)
    expect(json<ErrorJson>(run).error.message).toMatch(/--pairs|eth\/btc/)
  })
})
