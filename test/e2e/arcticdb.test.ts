import {execFileSync} from 'node:child_process'
import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'

import {json, runCli, type CliResult} from '../helpers/cli.js'
import {schemaErrors} from '../helpers/json-schema.js'
import {ENGINE_DIR, FIXTURES, fixtureUserData, REPO, tempDir} from '../helpers/paths.js'

// The adapter's own environment, beside the engine (installed by the first command that needs it).
const ARCTIC_PYTHON = path.join(path.dirname(ENGINE_DIR), 'arctic', 'bin', 'python')

interface ErrorJson {
  error: {code: string; message: string; exitCode: number; suggestions: string[]; details?: Record<string, unknown>}
}
interface SymbolJson {
  symbol: string
  version: number
  rows: number
  first: string | null
  last: string | null
}

/** A plain ArcticDB script, run in the adapter's environment: what another team's tool would do. */
function arcticScript(script: string, uri: string): string {
  return execFileSync(ARCTIC_PYTHON, ['-c', script, uri], {encoding: 'utf8', env: {...process.env, PYTHONPATH: path.join(REPO, 'python')}})
}

/** `strategy backtest --json --no-track` of the sample strategy: the same run from files or from the store. */
function sampleBacktest(userData: string, pairs: string[], timerange: string, extra: string[]) {
  return runCli([
    'strategy',
    'backtest',
    '--strategy',
    'SampleRsiStrategy',
    '--user-data-dir',
    userData,
    '--pairs',
    ...pairs,
    '--timerange',
    timerange,
    '--no-track',
    '--json',
    ...extra,
  ])
}

/** Both backtests ran, the store's is a valid result with trades, and its numbers are the files' exactly. */
function sameNumbers<R extends {metrics: Record<string, number>}>(fromArctic: CliResult, fromFiles: CliResult): {arctic: R; files: R} {
  expect(fromArctic.code, fromArctic.stderr).toBe(0)
  expect(fromFiles.code, fromFiles.stderr).toBe(0)
  const arctic = json<R>(fromArctic)
  const files = json<R>(fromFiles)
  expect(schemaErrors('strategy-backtest', arctic)).toEqual([])
  expect(arctic.metrics.totalTrades).toBeGreaterThan(0)
  for (const metric of ['totalTrades', 'profitTotal', 'maxDrawdown']) expect(arctic.metrics[metric], metric).toBe(files.metrics[metric])
  return {arctic, files}
}

const FIXTURE_FRAME = (file: string) => `
import sys, pandas as pd
from arcticdb import Arctic
frame = pd.read_feather(${JSON.stringify(file)})
frame = frame.set_index(pd.DatetimeIndex(frame["date"], name="date"))[["open", "high", "low", "close", "volume"]].astype("float64")
lib = Arctic(sys.argv[1]).get_library("binance.spot", create_if_missing=True)
`

describe('ArcticDB as the candle source (real local LMDB store)', () => {
  const uri = `lmdb://${tempDir('tradai-arctic-')}/store`
  // Futures in a store of their own: the spot tests below list and miss symbols of theirs.
  const futuresUri = `lmdb://${tempDir('tradai-arctic-futures-')}/store`
  const timerange = '20180115-20180120'
  const pairs = ['ETH/BTC', 'LTC/BTC']

  beforeAll(async () => {
    const run = await runCli([
      'data',
      'import',
      path.join(FIXTURES, 'ETH_BTC-5m.feather'),
      path.join(FIXTURES, 'LTC_BTC-5m.feather'),
      '--to',
      'arcticdb',
      '--arctic-uri',
      uri,
      '--json',
    ])
    expect(run.code, run.stderr).toBe(0)
    const result = json<{written: SymbolJson[]}>(run)
    expect(schemaErrors('data-import-arcticdb', result)).toEqual([])
    expect(result.written.map((symbol) => [symbol.symbol, symbol.version, symbol.rows])).toEqual([
      ['ETH_BTC-5m', 0, 5760],
      ['LTC_BTC-5m', 0, 5760],
    ])
  })

  it('a backtest from ArcticDB on an empty user_data gives exactly the numbers of the feather files, and names the versions it read', async () => {
    const backtest = (userData: string, extra: string[]) => sampleBacktest(userData, pairs, timerange, extra)
    const empty = tempDir('tradai-empty-ud-')
    const [fromArctic, fromFiles] = await Promise.all([backtest(empty, ['--data-source', 'arcticdb', '--arctic-uri', uri]), backtest(fixtureUserData(), [])])
    type Result = {metrics: Record<string, number>; runDir: string; candleSource?: {library: string; symbols: SymbolJson[]}}
    const {arctic, files} = sameNumbers<Result>(fromArctic, fromFiles)
    expect(arctic.candleSource?.library).toBe('binance.spot')
    expect(arctic.candleSource?.symbols.map((symbol) => [symbol.symbol, symbol.version])).toEqual([
      ['ETH_BTC-5m', 0],
      ['LTC_BTC-5m', 0],
    ])
    expect(files.candleSource).toBeUndefined()
    // The run folder holds the record and the candles it read; the user's user_data stays empty.
    expect(JSON.parse(readFileSync(path.join(arctic.runDir, 'candle-source.json'), 'utf8'))).toEqual(arctic.candleSource)
    expect(existsSync(path.join(arctic.runDir, 'candles', 'data', 'binance', 'ETH_BTC-5m.feather'))).toBe(true)
    expect(existsSync(path.join(empty, 'data'))).toBe(false)
    // Two real backtests side by side: minutes on a loaded 2-core machine (no wall-clock claim).
  }, 900_000)

  it('a sweep and a hyperopt study from ArcticDB on an empty user_data give exactly the numbers of the feather files, and record the versions', async () => {
    const data = ['--strategy', 'SampleRsiStrategy', '--pairs', 'ETH/BTC', '--timerange', '20180115-20180118', '--no-track', '--json']
    const arcticFlags = ['--data-source', 'arcticdb', '--arctic-uri', uri]
    const sweep = (userData: string, extra: string[]) => runCli(['strategy', 'sweep', ...data, '--grid', 'buy_rsi=25,35', '--user-data-dir', userData, ...extra])
    const studies = tempDir('tradai-arctic-studies-')
    const hyperopt = (userData: string, study: string, extra: string[]) =>
      runCli([
        'hyperopt',
        'run',
        ...data,
        '--spaces',
        'buy',
        '--epochs',
        '4',
        '--seed',
        '7',
        '--study',
        study,
        '--studies-dir',
        studies,
        '--no-export',
        '--user-data-dir',
        userData,
        ...extra,
      ])
    const empty = tempDir('tradai-empty-ud-')
    const [sweepArctic, sweepFiles, studyArctic, studyFiles] = await Promise.all([
      sweep(empty, arcticFlags),
      sweep(fixtureUserData(), []),
      hyperopt(empty, 'arctic-study', arcticFlags),
      hyperopt(fixtureUserData(), 'files-study', []),
    ])
    for (const run of [sweepArctic, sweepFiles, studyArctic, studyFiles]) expect(run.code, run.stderr).toBe(0)
    type Source = {library: string; symbols: SymbolJson[]}
    const versions = (source?: Source) => [source?.library, source?.symbols.map((symbol) => [symbol.symbol, symbol.version])]
    const metrics = (values: Record<string, unknown> | null) => ['totalTrades', 'profitTotal', 'maxDrawdown'].map((metric) => values?.[metric])

    type Sweep = {points: Array<{index: number; metrics: Record<string, number>}>; runDir: string; candleSource?: Source}
    const arctic = json<Sweep>(sweepArctic)
    const files = json<Sweep>(sweepFiles)
    expect(schemaErrors('strategy-sweep', arctic)).toEqual([])
    const byIndex = (result: Sweep) => [...result.points].sort((a, b) => a.index - b.index).map((point) => metrics(point.metrics))
    expect(
      byIndex(arctic)
        .flat()
        .some((value) => typeof value === 'number' && value !== 0),
    ).toBe(true)
    expect(byIndex(arctic)).toEqual(byIndex(files))
    expect(versions(arctic.candleSource)).toEqual(['binance.spot', [['ETH_BTC-5m', 0]]])
    expect(files.candleSource).toBeUndefined()
    expect(JSON.parse(readFileSync(path.join(arctic.runDir, 'candle-source.json'), 'utf8'))).toEqual(arctic.candleSource)
    expect(JSON.parse(readFileSync(path.join(arctic.runDir, 'tradai-sweep.json'), 'utf8')).candleSource).toEqual(arctic.candleSource)

    type Study = {bestMetrics: Record<string, unknown> | null; completedTrials: number; candleSource?: Source; runDir: string}
    const studyA = json<Study>(studyArctic)
    const studyF = json<Study>(studyFiles)
    expect(schemaErrors('hyperopt-run', studyA)).toEqual([])
    expect(studyA.completedTrials).toBe(4)
    expect(metrics(studyA.bestMetrics)).toEqual(metrics(studyF.bestMetrics))
    expect(versions(studyA.candleSource)).toEqual(['binance.spot', [['ETH_BTC-5m', 0]]])
    expect(existsSync(path.join(studyA.runDir, 'candles', 'data', 'binance', 'ETH_BTC-5m.feather'))).toBe(true)

    // A worker joining the study on a machine without candle files reads the study's pairs and range from the store.
    const worker = await runCli([
      'hyperopt',
      'worker',
      '--study',
      'arctic-study',
      '--studies-dir',
      studies,
      '--epochs',
      '2',
      '--user-data-dir',
      empty,
      '--no-track',
      '--json',
      ...arcticFlags,
    ])
    expect(worker.code, worker.stderr).toBe(0)
    const joined = json<Study>(worker)
    expect(schemaErrors('hyperopt-run', joined)).toEqual([])
    expect(joined.completedTrials).toBe(6)
    expect(versions(joined.candleSource)).toEqual(['binance.spot', [['ETH_BTC-5m', 0]]])
    expect(existsSync(path.join(joined.runDir, 'candles', 'data', 'binance', 'ETH_BTC-5m.feather'))).toBe(true)
    expect(existsSync(path.join(empty, 'data'))).toBe(false)
  }, 900_000)

  it('a futures backtest from ArcticDB (futures, mark and funding-rate symbols) gives exactly the numbers of the feather files', async () => {
    // No futures candles in the fixtures: a futures-shaped set DERIVED from the real ETH/BTC spot
    // candles, written as Freqtrade's futures files of ETH/USDT:USDT: the 5m candles as they are,
    // the 1h mark candles resampled from them, and a funding rate of 0.0001 every hour (Binance's
    // base rate; the fixtures carry no premium to derive one from). Freqtrade charges it: the
    // trades' funding fees are not 0, so both backtests really read the funding and mark series.
    const files = tempDir('tradai-futures-ud-')
    const futures = path.join(files, 'data', 'binance', 'futures')
    arcticScript(
      `import sys, pathlib, pandas as pd
out = pathlib.Path(${JSON.stringify(futures)}); out.mkdir(parents=True)
spot = pd.read_feather(${JSON.stringify(path.join(FIXTURES, 'ETH_BTC-5m.feather'))})
spot.to_feather(out / "ETH_USDT_USDT-5m-futures.feather")
hourly = spot.set_index("date").resample("1h").agg({"open": "first", "high": "max", "low": "min", "close": "last", "volume": "sum"}).dropna().reset_index()
hourly.to_feather(out / "ETH_USDT_USDT-1h-mark.feather")
pd.DataFrame({"date": hourly["date"], "funding_rate": 0.0001}).to_feather(out / "ETH_USDT_USDT-1h-funding_rate.feather")`,
      futuresUri,
    )
    const imported = await runCli(['data', 'import', futures, '--to', 'arcticdb', '--arctic-uri', futuresUri, '--json'])
    expect(imported.code, imported.stderr).toBe(0)
    const written = json<{library: string; written: Array<SymbolJson & {candleType: string}>}>(imported)
    expect(schemaErrors('data-import-arcticdb', written)).toEqual([])
    expect(written.library).toBe('binance.futures')
    expect(written.written.map((symbol) => [symbol.symbol, symbol.candleType, symbol.version])).toEqual([
      ['ETH_USDT_USDT-1h-funding_rate', 'funding_rate', 0],
      ['ETH_USDT_USDT-1h-mark', 'mark', 0],
      ['ETH_USDT_USDT-5m-futures', 'futures', 0],
    ])

    // Futures on Binance: isolated margin, and order-book pricing (Binance futures tickers carry no
    // price; a backtest prices from the candles either way).
    const config = path.join(tempDir('tradai-futures-config-'), 'futures.json')
    writeFileSync(config, JSON.stringify({trading_mode: 'futures', margin_mode: 'isolated', entry_pricing: {use_order_book: true}, exit_pricing: {use_order_book: true}}))
    const backtest = (userData: string, extra: string[]) => sampleBacktest(userData, ['ETH/USDT:USDT'], '20180115-20180117', ['--freqtrade-config', config, ...extra])
    const empty = tempDir('tradai-empty-ud-')
    const [fromArctic, fromFiles] = await Promise.all([backtest(empty, ['--data-source', 'arcticdb', '--arctic-uri', futuresUri]), backtest(files, [])])
    type Result = {metrics: Record<string, number>; runDir: string; resultFile: string; candleSource?: {library: string; symbols: Array<SymbolJson & {candleType: string}>}}
    const {arctic} = sameNumbers<Result>(fromArctic, fromFiles)
    expect(arctic.candleSource?.library).toBe('binance.futures')
    expect(arctic.candleSource?.symbols.map((symbol) => [symbol.symbol, symbol.candleType, symbol.version])).toEqual([
      ['ETH_USDT_USDT-5m-futures', 'futures', 0],
      ['ETH_USDT_USDT-1h-mark', 'mark', 0],
      ['ETH_USDT_USDT-1h-funding_rate', 'funding_rate', 0],
    ])
    for (const name of ['ETH_USDT_USDT-5m-futures', 'ETH_USDT_USDT-1h-mark', 'ETH_USDT_USDT-1h-funding_rate']) {
      expect(existsSync(path.join(arctic.runDir, 'candles', 'data', 'binance', 'futures', `${name}.feather`)), name).toBe(true)
    }
    // Freqtrade charged funding on the trades (so the funding and mark series were read, not skipped).
    const fees = arcticScript(
      `import sys, json, zipfile
with zipfile.ZipFile(${JSON.stringify(arctic.resultFile)}) as z:
    name = next(n for n in z.namelist() if n.endswith(".json") and "config" not in n and "meta" not in n)
    trades = next(iter(json.loads(z.read(name))["strategy"].values()))["trades"]
print(json.dumps([t["funding_fees"] for t in trades]))`,
      futuresUri,
    )
    expect((JSON.parse(fees) as number[]).some((fee) => fee !== 0)).toBe(true)

    // data list reads the names back: pair, timeframe and candle type of each.
    const list = await runCli(['data', 'list', '--data-source', 'arcticdb', '--arctic-uri', futuresUri, '--json'])
    expect(list.code, list.stderr).toBe(0)
    const listed = json<{libraries: Array<{library: string; symbols: Array<{symbol: string; pair: string; timeframe: string; candleType: string; gaps: number}>}>}>(list)
    expect(schemaErrors('data-list-arcticdb', listed)).toEqual([])
    expect(listed.libraries[0]?.symbols.map(({symbol, pair, timeframe, candleType, gaps}) => [symbol, pair, timeframe, candleType, gaps])).toEqual([
      ['ETH_USDT_USDT-1h-funding_rate', 'ETH/USDT:USDT', '1h', 'funding_rate', 0],
      ['ETH_USDT_USDT-1h-mark', 'ETH/USDT:USDT', '1h', 'mark', 0],
      ['ETH_USDT_USDT-5m-futures', 'ETH/USDT:USDT', '5m', 'futures', 0],
    ])

    // export writes all three back where Freqtrade looks (files equal to the imported ones).
    const exportDir = tempDir('tradai-futures-export-')
    const exported = await runCli([
      'data',
      'export',
      '--from',
      'arcticdb',
      '--arctic-uri',
      futuresUri,
      '--pairs',
      'ETH/USDT:USDT',
      '--timeframe',
      '5m',
      '--user-data-dir',
      exportDir,
      '--json',
    ])
    expect(exported.code, exported.stderr).toBe(0)
    const exportedJson = json<{library: string; exported: Array<{file: string; candleType: string}>}>(exported)
    expect(schemaErrors('data-export', exportedJson)).toEqual([])
    expect(exportedJson.exported.map((entry) => path.relative(exportDir, entry.file))).toEqual(
      ['ETH_USDT_USDT-5m-futures', 'ETH_USDT_USDT-1h-mark', 'ETH_USDT_USDT-1h-funding_rate'].map((name) => path.join('data', 'binance', 'futures', `${name}.feather`)),
    )
    const same = arcticScript(
      `import sys, pandas as pd
for name in ["ETH_USDT_USDT-5m-futures", "ETH_USDT_USDT-1h-mark", "ETH_USDT_USDT-1h-funding_rate"]:
    a = pd.read_feather(${JSON.stringify(futures)} + "/" + name + ".feather")
    b = pd.read_feather(${JSON.stringify(path.join(exportDir, 'data', 'binance', 'futures'))} + "/" + name + ".feather")
    pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True), check_exact=True, check_dtype=False)
print("same")`,
      futuresUri,
    )
    expect(same.trim()).toBe('same')
  }, 900_000)

  it('futures bad input: a missing futures symbol exits 5 listing what exists; missing mark or funding rate exits 5 naming pair, candle type and how to get them', async () => {
    // XLM/USDT:USDT gets its futures candles only (derived from the XLM/BTC fixture like above).
    arcticScript(
      `${FIXTURE_FRAME(path.join(FIXTURES, 'XLM_BTC-5m.feather')).replace('"binance.spot"', '"binance.futures"')}lib.write("XLM_USDT_USDT-5m-futures", frame)`,
      futuresUri,
    )
    const exportPair = (pair: string) =>
      runCli(['data', 'export', '--from', 'arcticdb', '--arctic-uri', futuresUri, '--pairs', pair, '--timeframe', '5m', '--user-data-dir', tempDir('tradai-export-ud-'), '--json'])
    const [missing, extras] = await Promise.all([exportPair('LTC/USDT:USDT'), exportPair('XLM/USDT:USDT')])
    expect(missing.code, missing.stderr).toBe(5)
    const missingError = json<ErrorJson>(missing).error
    expect(missingError.message).toContain("'LTC_USDT_USDT-5m-futures'")
    expect(missingError.details?.available).toEqual(['ETH_USDT_USDT-1h-funding_rate', 'ETH_USDT_USDT-1h-mark', 'ETH_USDT_USDT-5m-futures', 'XLM_USDT_USDT-5m-futures'])
    expect(extras.code, extras.stderr).toBe(5)
    const extrasError = json<ErrorJson>(extras).error
    expect(extrasError.message).toContain("XLM/USDT:USDT has no mark candles (1h, symbol 'XLM_USDT_USDT-1h-mark')")
    expect(extrasError.message).toContain("XLM/USDT:USDT has no funding_rate candles (1h, symbol 'XLM_USDT_USDT-1h-funding_rate')")
    expect(extrasError.suggestions.join(' ')).toContain('tradai data download --exchange binance --pairs XLM/USDT:USDT --timeframes 1h')
    expect(extrasError.details?.missing).toEqual([
      {pair: 'XLM/USDT:USDT', candleType: 'mark', timeframe: '1h', symbol: 'XLM_USDT_USDT-1h-mark'},
      {pair: 'XLM/USDT:USDT', candleType: 'funding_rate', timeframe: '1h', symbol: 'XLM_USDT_USDT-1h-funding_rate'},
    ])
  })

  it('data written by a plain ArcticDB script in the documented layout is listed and exported unchanged', async () => {
    arcticScript(`${FIXTURE_FRAME(path.join(FIXTURES, 'XLM_BTC-5m.feather'))}lib.write("XLM_BTC-5m", frame)`, uri)
    const list = await runCli(['data', 'list', '--data-source', 'arcticdb', '--arctic-uri', uri, '--json'])
    expect(list.code, list.stderr).toBe(0)
    const listed = json<{libraries: Array<{library: string; symbols: Array<SymbolJson & {gaps: number}>}>}>(list)
    expect(schemaErrors('data-list-arcticdb', listed)).toEqual([])
    expect(listed.libraries[0]?.symbols.map((symbol) => symbol.symbol)).toEqual(['ETH_BTC-5m', 'LTC_BTC-5m', 'XLM_BTC-5m'])

    const userData = tempDir('tradai-export-ud-')
    const run = await runCli(['data', 'export', '--from', 'arcticdb', '--arctic-uri', uri, '--pairs', 'XLM/BTC', '--timeframe', '5m', '--user-data-dir', userData, '--json'])
    expect(run.code, run.stderr).toBe(0)
    const result = json<{exported: Array<SymbolJson & {file: string}>}>(run)
    expect(schemaErrors('data-export', result)).toEqual([])
    const file = path.join(userData, 'data', 'binance', 'XLM_BTC-5m.feather')
    expect(result.exported[0]).toMatchObject({symbol: 'XLM_BTC-5m', version: 0, rows: 5760, file})
    // Every value of the exported file equals the fixture's, as pandas reads both.
    const same = arcticScript(
      `import sys, pandas as pd
a = pd.read_feather(${JSON.stringify(path.join(FIXTURES, 'XLM_BTC-5m.feather'))})
b = pd.read_feather(${JSON.stringify(file)})
pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True), check_exact=True)
print("same")`,
      uri,
    )
    expect(same.trim()).toBe('same')
  })

  describe('bad input', () => {
    const exportCli = (args: string[], storeUri = uri) =>
      runCli(['data', 'export', '--from', 'arcticdb', '--arctic-uri', storeUri, '--timeframe', '5m', '--user-data-dir', tempDir('tradai-export-ud-'), '--json', ...args])

    it('a malformed URI exits 2 and names it without its credentials', async () => {
      const run = await exportCli(['--pairs', 'ETH/BTC'], 'ftp://host/bucket?access=AKIAPLANTED&secret=PLANTEDSECRET')
      expect(run.code).toBe(2)
      const {error} = json<ErrorJson>(run)
      expect(error.message).toContain('ftp://host/bucket?access=***&secret=***')
      expect(run.stdout + run.stderr).not.toMatch(/AKIAPLANTED|PLANTEDSECRET/)
    })

    it("an unreachable S3 store exits 4 at once, from tradai's connect check (not ArcticDB's retry loop), naming the URI without its credentials", async () => {
      // Offline machine: the endpoint's name does not resolve; 127.0.0.1:9 refuses. Both answer from
      // the adapter's one TCP connect bounded by its timeout, before ArcticDB's ~25 s backoff starts.
      const credentials = 'access=AKIAPLANTED&secret=PLANTEDSECRET'
      const [dns, refused] = await Promise.all([
        exportCli(['--pairs', 'ETH/BTC'], `s3://s3.eu-west-1.amazonaws.com:tradai-bucket?${credentials}`),
        runCli([
          'strategy',
          'sweep',
          '--strategy',
          'SampleRsiStrategy',
          '--grid',
          'buy_rsi=25',
          '--pairs',
          'ETH/BTC',
          '--timerange',
          '20180115-20180116',
          '--no-track',
          '--json',
          '--user-data-dir',
          tempDir('tradai-empty-ud-'),
          '--data-source',
          'arcticdb',
          '--arctic-uri',
          `s3://127.0.0.1:tradai-bucket?port=9&${credentials}`,
        ]),
      ])
      for (const [run, endpoint] of [
        [dns, 's3.eu-west-1.amazonaws.com:80'],
        [refused, '127.0.0.1:9'],
      ] as const) {
        expect(run.code, run.stderr).toBe(4)
        const {error} = json<ErrorJson>(run)
        expect(error.code).toBe('STORE_UNREACHABLE')
        expect(error.message).toContain('access=***&secret=***')
        expect(error.details).toMatchObject({endpoint, probe: 'connect', timeoutSeconds: 5})
        expect(run.stdout + run.stderr).not.toMatch(/AKIAPLANTED|PLANTEDSECRET/)
        // ArcticDB's own retry loop logs each retry; it never started.
        expect(run.stderr).not.toMatch(/E_S3_RETRYABLE|Retry-able/)
      }
    })

    it('a missing symbol exits 5 and lists the symbols there are; a missing library too', async () => {
      const run = await exportCli(['--pairs', 'DOGE/BTC'])
      expect(run.code).toBe(5)
      const {error} = json<ErrorJson>(run)
      expect(error.message).toContain("'DOGE_BTC-5m'")
      expect(error.details?.available).toEqual(['ETH_BTC-5m', 'LTC_BTC-5m', 'XLM_BTC-5m'])
      const library = await exportCli(['--pairs', 'ETH/BTC', '--exchange', 'kraken'])
      expect(library.code).toBe(5)
      expect(json<ErrorJson>(library).error.details?.available).toEqual(['binance.spot'])
    })

    it('wrong dtypes or columns, duplicate or unsorted index: exit 2 naming symbol and problem', async () => {
      const frame = FIXTURE_FRAME(path.join(FIXTURES, 'ADA_BTC-5m.feather'))
      arcticScript(
        `${frame}
lib.write("ADA_BTC-5m", frame.astype({"volume": "int64"}))
lib.write("DASH_BTC-5m", frame.drop(columns=["close"]))
lib.write("ETC_BTC-5m", pd.concat([frame.iloc[:10], frame.iloc[5:10]]), validate_index=False)
lib.write("NXT_BTC-5m", frame.iloc[::-1], validate_index=False)`,
        uri,
      )
      const cases: Array<[string, RegExp]> = [
        ['ADA/BTC', /'ADA_BTC-5m' column 'volume' is int64, not float64/],
        ['DASH/BTC', /'DASH_BTC-5m' has no column close/],
        ['ETC/BTC', /'ETC_BTC-5m' has duplicate candle times/],
        ['NXT/BTC', /'NXT_BTC-5m' is not sorted by candle time/],
      ]
      const runs = await Promise.all(cases.map(([pair]) => exportCli(['--pairs', pair])))
      for (const [index, run] of runs.entries()) {
        expect(run.code, cases[index]![0]).toBe(2)
        expect(json<ErrorJson>(run).error.message).toMatch(cases[index]![1])
      }
    })
  })
})

describe('engine setup --with arcticdb', () => {
  it('reports the adapter environment with its pinned packages (idempotent when installed)', async () => {
    const run = await runCli(['engine', 'setup', '--with', 'arcticdb', '--json'])
    expect(run.code, run.stderr).toBe(0)
    const result = json<{arcticdb: {python: string; packages: Record<string, string>}}>(run)
    expect(result.arcticdb.python).toBe(ARCTIC_PYTHON)
    expect(result.arcticdb.packages).toMatchObject({arcticdb: '6.28.2', pandas: expect.stringMatching(/^2\./), protobuf: expect.stringMatching(/^6\./)})
  })
})
