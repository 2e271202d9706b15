import {randomBytes} from 'node:crypto'
import {existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {digestOf, type GateKey} from '../../src/core/attestation/index.js'
import {parseCriterion} from '../../src/core/challenge/criteria.js'
import {runChallenge} from '../../src/core/challenge/run-challenge.js'
import {candlesForRun, coveringTimerange} from '../../src/core/data/arctic-cache.js'
import {importToArctic} from '../../src/core/data/arctic-data.js'
import {candleSourceTags, featherFile, symbolName, type ArcticStore} from '../../src/core/data/arctic-store.js'
import type {CoreContext} from '../../src/core/events.js'
import {runHyperopt} from '../../src/core/hyperopt/run-hyperopt.js'
import {runStudyWorker} from '../../src/core/hyperopt/run-worker.js'
import type {ResultOf} from '../../src/core/ports/engine.js'
import {registerStrategy} from '../../src/core/registry/register.js'
import {startShadow, type ShadowEnginePort} from '../../src/core/shadow/start.js'
import {runWalkForward} from '../../src/core/walk-forward/run-walk-forward.js'
import {fakeBacktest, SAMPLE_CLASS} from '../fakes/backtest.js'
import {FakeEngine} from '../fakes/engine.js'
import {FakeRegistry} from '../fakes/registry.js'

// Every command that runs Freqtrade on candles goes through one helper (candlesForRun): with a
// candle store it reads the span the run needs into <runDir>/candles and hands that folder to the
// engine. Here on fakes, per command, what the store was asked for and what the engine was given.
// test/e2e/arcticdb.test.ts runs backtest, sweep and hyperopt on a real LMDB store.

const ctx = (): CoreContext => ({signal: new AbortController().signal, onEvent: () => {}})
const temp = (prefix: string) => mkdtempSync(path.join(tmpdir(), prefix))
const STOP = 'stop here: what core sent is what this test checks'

interface ReadRequest {
  uri: string
  library: string
  items: Array<{pair: string; timeframe: string; candleType: string; symbol: string; file: string; start: string | null; end: string | null}>
}

/** An ArcticDB adapter without ArcticDB: answers `read` with version 3 of each symbol and keeps the requests. */
function fakeStore(): ArcticStore & {reads: ReadRequest[]} {
  const reads: ReadRequest[] = []
  return {
    uri: 's3://s3.example.com:bucket?access=AKIAPLANTED&secret=PLANTEDSECRET',
    symbolTemplate: '{pair}-{timeframe}',
    reads,
    adapter: {
      async exec<T>(operation: string, request: unknown): Promise<T> {
        expect(operation).toBe('read')
        const read = (await request) as ReadRequest
        reads.push(read)
        return {
          read: read.items.map((item) => ({
            symbol: item.symbol,
            version: 3,
            rows: 10,
            first: item.start,
            last: item.end,
            file: item.file,
            pair: item.pair,
            timeframe: item.timeframe,
          })),
        } as T
      },
    },
  }
}

function shown(file: string, tradingMode = 'spot'): ResultOf<'strategy-show'> {
  return {
    name: SAMPLE_CLASS,
    className: SAMPLE_CLASS,
    file,
    baseClass: 'TradAIStrategy',
    metadata: {name: SAMPLE_CLASS, version: '1.0.0', description: 'fake', author: 'tests', tags: [], timeframe: '5m', exchange: 'binance', tradingMode, defaultPairs: ['ETH/BTC']},
    timeframe: '5m',
    minimalRoi: {'0': 0.1},
    stoploss: -0.1,
    trailing: {trailingStop: false, trailingStopPositive: null, trailingStopPositiveOffset: 0, trailingOnlyOffsetIsReached: false},
    startupCandleCount: 288,
    canShort: false,
    interfaceVersion: 3,
    parameters: [],
    paramsFile: null,
    configFile: null,
  }
}

const expectCache = (userDataDir: string, outputDir: string) => {
  expect(userDataDir.startsWith(outputDir)).toBe(true)
  expect(path.basename(userDataDir)).toBe('candles')
}

describe('candlesForRun: the one way a run reads candles from ArcticDB', () => {
  it('files: the user_data as is, nothing read', async () => {
    const engine = new FakeEngine({})
    expect(await candlesForRun({strategy: SAMPLE_CLASS, strategiesDir: '/s', userDataDir: '/ud'}, '/run', engine, ctx())).toEqual({userDataDir: '/ud'})
    expect(engine.calls).toEqual([])
  })

  it('reads the range widened by the startup candles and records the versions without credentials', async () => {
    const store = fakeStore()
    const runDir = temp('tradai-arctic-run-')
    const engine = new FakeEngine({'strategy-list': {strategies: []}, 'strategy-show': shown('/s/x.py')})
    const candles = await candlesForRun(
      {strategy: SAMPLE_CLASS, strategiesDir: '/s', userDataDir: '/ud', timerange: '20180115-20180118', candleStore: store},
      runDir,
      engine,
      ctx(),
    )
    expect(candles.userDataDir).toBe(path.join(runDir, 'candles'))
    // 288 startup candles of 5m = 1 day, plus one spare day each side.
    expect(store.reads[0]!.items).toEqual([
      {
        pair: 'ETH/BTC',
        timeframe: '5m',
        candleType: 'spot',
        symbol: 'ETH_BTC-5m',
        file: path.join(runDir, 'candles', 'data', 'binance', 'ETH_BTC-5m.feather'),
        start: '2018-01-13T00:00:00.000Z',
        end: '2018-01-19T00:00:00.000Z',
      },
    ])
    expect(candles.candleSource).toMatchObject({source: 'arcticdb', library: 'binance.spot', uri: 's3://s3.example.com:bucket?access=***&secret=***'})
    expect(JSON.parse(readFileSync(path.join(runDir, 'candle-source.json'), 'utf8'))).toEqual(candles.candleSource)
    expect(candleSourceTags(candles.candleSource)).toMatchObject({'tradai.arctic.library': 'binance.spot', 'tradai.arctic.symbols': 'ETH_BTC-5m@v3'})
  })

  it('the defaults and startup candles come from the source when it says them (no Freqtrade import: strategy-show is never asked)', async () => {
    const store = fakeStore()
    const {name, className, file, baseClass, metadata, timeframe} = shown('/s/x.py')
    const listed = {
      name,
      className,
      file,
      line: 15,
      baseClass,
      metadata,
      timeframe,
      startupCandleCount: 288,
      parameters: [],
      status: 'ok' as const,
      error: null,
      source: 'static' as const,
    }
    const engine = new FakeEngine({'strategy-list': {strategies: [listed]}})
    await candlesForRun(
      {strategy: SAMPLE_CLASS, strategiesDir: '/s', userDataDir: '/ud', timerange: '20180115-20180118', candleStore: store},
      temp('tradai-arctic-run-'),
      engine,
      ctx(),
    )
    expect(engine.calls.map((call) => call.operation)).toEqual(['strategy-list'])
    expect(store.reads[0]!.items[0]).toMatchObject({symbol: 'ETH_BTC-5m', start: '2018-01-13T00:00:00.000Z'})
  })

  it("a futures strategy reads library <exchange>.futures into Freqtrade's futures layout (futures/ folder, -futures suffix)", async () => {
    const store = fakeStore()
    const runDir = temp('tradai-arctic-run-')
    const engine = new FakeEngine({'strategy-list': {strategies: []}, 'strategy-show': shown('/s/x.py', 'futures')})
    const candles = await candlesForRun({strategy: SAMPLE_CLASS, strategiesDir: '/s', userDataDir: '/ud', pairs: ['ETH/USDT:USDT'], candleStore: store}, runDir, engine, ctx())
    expect(store.reads[0]!.library).toBe('binance.futures')
    // Its own candles plus what Freqtrade's futures backtest loads beside them (1h mark, 1h funding rate), each named like Freqtrade's file.
    const futures = path.join(runDir, 'candles', 'data', 'binance', 'futures')
    expect(store.reads[0]!.items.map(({symbol, file, candleType, timeframe}) => ({symbol, file, candleType, timeframe}))).toEqual([
      {symbol: 'ETH_USDT_USDT-5m-futures', file: path.join(futures, 'ETH_USDT_USDT-5m-futures.feather'), candleType: 'futures', timeframe: '5m'},
      {symbol: 'ETH_USDT_USDT-1h-mark', file: path.join(futures, 'ETH_USDT_USDT-1h-mark.feather'), candleType: 'mark', timeframe: '1h'},
      {symbol: 'ETH_USDT_USDT-1h-funding_rate', file: path.join(futures, 'ETH_USDT_USDT-1h-funding_rate.feather'), candleType: 'funding_rate', timeframe: '1h'},
    ])
    expect(candles.candleSource?.library).toBe('binance.futures')
    expect(featherFile('/ud', 'binance', 'BTC/USDT:USDT', '1h', 'futures')).toBe('/ud/data/binance/futures/BTC_USDT_USDT-1h-futures.feather')
  })

  it('the pairs say futures whichever layer set trading_mode (a spot-metadata strategy under a futures --freqtrade-config); mixed pairs are refused', async () => {
    const store = fakeStore()
    const engine = new FakeEngine({'strategy-list': {strategies: []}, 'strategy-show': shown('/s/x.py')})
    await candlesForRun({strategy: SAMPLE_CLASS, strategiesDir: '/s', userDataDir: '/ud', pairs: ['ETH/USDT:USDT'], candleStore: store}, temp('tradai-arctic-run-'), engine, ctx())
    expect(store.reads[0]!.library).toBe('binance.futures')
    expect(store.reads[0]!.items.map((item) => item.candleType)).toEqual(['futures', 'mark', 'funding_rate'])
    const mixed = candlesForRun(
      {strategy: SAMPLE_CLASS, strategiesDir: '/s', userDataDir: '/ud', pairs: ['ETH/BTC', 'ETH/USDT:USDT'], candleStore: fakeStore()},
      temp('tradai-arctic-run-'),
      engine,
      ctx(),
    )
    await expect(mixed).rejects.toMatchObject({exitCode: 2, message: expect.stringContaining('mixes spot and futures pairs')})
  })

  it("symbol names: the default template gives Freqtrade's file stems; {candle_type} and {settle} place them where a team wants", () => {
    expect(symbolName('{pair}-{timeframe}', 'ETH/BTC', '5m')).toBe('ETH_BTC-5m')
    expect(symbolName('{pair}-{timeframe}', 'ETH/USDT:USDT', '1h', 'futures')).toBe('ETH_USDT_USDT-1h-futures')
    expect(symbolName('{pair}-{timeframe}', 'ETH/USDT:USDT', '1h', 'funding_rate')).toBe('ETH_USDT_USDT-1h-funding_rate')
    expect(symbolName('{base}.{quote}.{settle}/{timeframe}/{candle_type}', 'ETH/USDT:USDT', '1h', 'mark')).toBe('ETH.USDT.USDT/1h/mark')
  })

  it('data import --to arcticdb refuses spot and futures files in one import (two libraries), before writing anything', async () => {
    const store = fakeStore()
    const row = (pair: string, candleType: 'spot' | 'futures') => ({
      source: '/x',
      file: '/x.feather',
      pair,
      timeframe: '5m',
      candleType,
      count: 1,
      first: '2018-01-10T00:00:00Z',
      last: '2018-01-10T00:00:00Z',
    })
    const engine = new FakeEngine({'data-import': {imported: [row('ETH/BTC', 'spot'), row('ETH/USDT:USDT', 'futures')]}})
    const run = importToArctic({paths: ['/x'], exchange: 'binance'}, engine, store, ctx())
    await expect(run).rejects.toMatchObject({exitCode: 2, message: expect.stringContaining('both spot and futures candles (libraries binance.spot and binance.futures)')})
    expect(store.reads).toEqual([])
  })

  it('coveringTimerange: a study and its out-of-sample range are read in one span', () => {
    expect(coveringTimerange('20180115-20180118', '20180118-20180121')).toBe('20180115-20180121')
    expect(coveringTimerange('20180115-20180118', undefined)).toBe('20180115-20180118')
    expect(coveringTimerange('20180115-', '20180110-20180112')).toBe('20180110-')
  })
})

describe('each command passes its candle store through candlesForRun (on fakes)', () => {
  it('walk-forward: reads its whole span once, then plans its windows and optimizes on the cache', async () => {
    const store = fakeStore()
    const outputDir = temp('tradai-arctic-out-')
    const engine = new FakeEngine({'strategy-list': {strategies: []}, 'strategy-show': shown('/s/x.py'), 'data-list': new Error(STOP)})
    const run = runWalkForward(
      {
        strategy: SAMPLE_CLASS,
        strategiesDir: '/s',
        userDataDir: '/ud',
        outputDir,
        pairs: ['ETH/BTC'],
        timerange: '20180110-20180125',
        studiesDir: temp('tradai-arctic-studies-'),
        trainDays: 4,
        testDays: 2,
        anchored: false,
        epochs: 2,
        spaces: ['buy'],
        loss: 'SharpeHyperOptLoss',
        jobs: 1,
        minTrades: 1,
        candleStore: store,
      },
      engine,
      ctx(),
    )
    await expect(run).rejects.toThrow(STOP)
    expect(store.reads[0]!.items[0]).toMatchObject({start: '2018-01-08T00:00:00.000Z', end: '2018-01-26T00:00:00.000Z'})
    expectCache(engine.requests('data-list')[0]!.userDataDir, outputDir)
  })

  it("hyperopt: the study's range and its out-of-sample range, one cache for every worker", async () => {
    const store = fakeStore()
    const outputDir = temp('tradai-arctic-out-')
    const engine = new FakeEngine({'strategy-list': {strategies: []}, 'strategy-show': shown('/s/x.py'), 'hyperopt-optuna': new Error(STOP)})
    const run = runHyperopt(
      {
        engine: 'optuna',
        strategy: SAMPLE_CLASS,
        strategiesDir: '/s',
        userDataDir: '/ud',
        outputDir,
        pairs: ['ETH/BTC'],
        timerange: '20180115-20180118',
        oosTimerange: '20180118-20180121',
        epochs: 2,
        spaces: ['buy'],
        loss: 'SharpeHyperOptLoss',
        jobs: 2,
        minTrades: 1,
        studiesDir: temp('tradai-arctic-studies-'),
        study: 'arctic-fake',
        topK: 1,
        export: false,
        candleStore: store,
      },
      engine,
      ctx(),
    )
    await expect(run).rejects.toThrow(STOP)
    expect(store.reads[0]!.items[0]).toMatchObject({start: '2018-01-13T00:00:00.000Z', end: '2018-01-22T00:00:00.000Z'})
    expectCache(engine.requests('hyperopt-optuna')[0]!.userDataDir, outputDir)
  })

  it("hyperopt worker: reads the study's pairs, timeframe and range into its own run folder, and records the versions", async () => {
    const store = fakeStore()
    const outputDir = temp('tradai-arctic-out-')
    const studiesDir = temp('tradai-arctic-studies-')
    writeFileSync(path.join(studiesDir, 'joined.log'), '')
    const problem = {strategy: SAMPLE_CLASS, exchange: 'binance', pairs: ['LTC/BTC'], timeframe: '5m', timerange: '20180116-20180118'}
    const engine = new FakeEngine({
      'strategy-list': {strategies: []},
      'strategy-show': shown('/s/x.py'),
      'hyperopt-studies': {
        ...{study: 'joined', engine: 'optuna', strategy: SAMPLE_CLASS, spaces: ['buy'], loss: 'SharpeHyperOptLoss', objectives: null, directions: ['minimize']},
        ...{trials: 0, completedTrials: 0, failedTrials: 0, runningTrials: 0, bestLoss: null, lastUpdate: null, storage: 'journal'},
        ...{problem, bestTrial: null, paretoFront: null},
      },
      'hyperopt-optuna': new Error(STOP),
    })
    const run = runStudyWorker(
      {study: 'joined', studiesDir, strategiesDir: '/s', userDataDir: '/ud', outputDir, epochs: 2, jobs: 1, sweepOutputDir: outputDir, candleStore: store},
      engine,
      ctx(),
    )
    await expect(run).rejects.toThrow(STOP)
    expect(store.reads[0]!.items).toMatchObject([{pair: 'LTC/BTC', symbol: 'LTC_BTC-5m', start: '2018-01-14T00:00:00.000Z', end: '2018-01-19T00:00:00.000Z'}])
    expectCache(engine.requests('hyperopt-optuna')[0]!.userDataDir, outputDir)
  })

  describe('on a registered version', () => {
    const gateKey = (): GateKey => {
      const secret = randomBytes(32)
      return {secret, id: digestOf(secret).slice(0, 16), source: 'env', file: null}
    }

    async function registered() {
      const port = new FakeRegistry()
      const key = gateKey()
      const dir = temp('tradai-arctic-strategy-')
      const file = path.join(dir, 'sample_rsi_strategy.py')
      writeFileSync(file, 'class SampleRsiStrategy: pass\n')
      const engine = new FakeEngine({
        'strategy-list': {strategies: []},
        'strategy-show': () => shown(file),
        lint: {findings: [], strategies: [{name: SAMPLE_CLASS, className: SAMPLE_CLASS, file, line: 1, baseClass: 'TradAIStrategy'}], rules: []},
        backtest: fakeBacktest,
        shadow: new Error(STOP),
      })
      const experiment = {experimentName: '{strategy}', experimentPrefix: 'tradai'}
      const context = {user: 'tester', host: 'h', tradaiVersion: '0.0.0-test', ci: {}}
      await registerStrategy({name: SAMPLE_CLASS, strategiesDir: dir, userDataDir: dir, experiment, context, secrets: [], config: {}, gateKey: key}, engine, port, ctx())
      return {port, key, engine, experiment, context}
    }

    it('challenge: its backtest reads through the cache; the signed report and the run name the versions', async () => {
      const {port, key, engine, experiment, context} = await registered()
      const store = fakeStore()
      const outputDir = temp('tradai-arctic-out-')
      const report = await runChallenge(
        {
          model: SAMPLE_CLASS,
          criteria: [parseCriterion('totalTrades >= 1', '--criterion')],
          productionMetric: 'profitTotal',
          data: {userDataDir: '/ud', outputDir, pairs: ['ETH/BTC'], timerange: '20180110-20180114', candleStore: store},
          experiment,
          context,
          secrets: [],
          gateKey: key,
        },
        engine,
        port,
        ctx(),
      )
      expectCache(engine.requests('backtest')[0]!.userDataDir, outputDir)
      expect(report.backtest.candleSource?.symbols.map((symbol) => [symbol.symbol, symbol.version])).toEqual([['ETH_BTC-5m', 3]])
      const run = [...port.runs.values()].find((entry) => entry.params.has('arctic.symbols'))
      expect(run?.params.get('arctic.symbols')).toBe('ETH_BTC-5m@v3')
    })

    it('shadow start --replay: the window read into the session folder; session.json names the versions and holds no store object', async () => {
      const {port, key, engine} = await registered()
      const store = fakeStore()
      const root = temp('tradai-arctic-shadow-')
      const shadowEngine = Object.assign(engine, {spawnDetached: async () => 0, detachedFailure: async () => undefined}) as unknown as ShadowEnginePort
      const start = startShadow(
        {
          model: SAMPLE_CLASS,
          mode: 'replay',
          foreground: true,
          data: {userDataDir: '/ud', outputDir: temp('tradai-arctic-out-'), pairs: ['ETH/BTC'], timerange: '20180115-20180117', candleStore: store},
          root,
          apiPort: 1,
          speed: null,
          gateKey: key,
        },
        shadowEngine,
        port,
        ctx(),
      )
      await expect(start).rejects.toThrow(STOP)
      const [id] = readdirSync(root).filter((name) => existsSync(path.join(root, name, 'session.json')))
      const sessionText = readFileSync(path.join(root, id!, 'session.json'), 'utf8')
      const session = JSON.parse(sessionText) as {data: {userDataDir: string}; candleSource: {symbols: Array<{version: number}>}; sessionDir: string}
      expect(session.data.userDataDir).toBe(path.join(session.sessionDir, 'candles'))
      expect(engine.requests('shadow')[0]!.userDataDir).toBe(session.data.userDataDir)
      expect(session.candleSource.symbols[0]!.version).toBe(3)
      expect(sessionText).not.toMatch(/candleStore|adapter|PLANTED/)
    })
  })
})

describe('the serve API takes dataSource where it takes data fields', () => {
  it("a body field dataSource layers over the server config as data.source (labelled body.dataSource); the URI stays the server's", async () => {
    const {Service} = await import('../../src/server/service.js')
    const {backtestBody, challengeBody, hyperoptBody} = await import('../../src/server/schemas.js')
    const {sweepBody, walkForwardBody} = await import('../../src/server/routes/research.js')
    const cwd = temp('tradai-arctic-serve-')
    const service = new Service({cwd, env: {}, version: '0.0.0-test', config: {} as never, jobs: {} as never, log: () => {}})
    const {config, sources} = await service.config({dataSource: 'arcticdb'})
    expect(config.data.source).toBe('arcticdb')
    expect(sources['data.source']).toMatchObject({kind: 'flag', name: 'body.dataSource'})
    for (const body of [backtestBody, challengeBody, hyperoptBody]) {
      expect(body.safeParse({strategy: 'S', dataSource: 'arcticdb'}).success).toBe(true)
      expect(body.safeParse({strategy: 'S', dataSource: 'mongo'}).success).toBe(false)
      expect(body.safeParse({strategy: 'S', arcticUri: 'lmdb:///elsewhere'}).success).toBe(false)
    }
    expect(sweepBody.safeParse({strategy: 'S', grid: ['buy_rsi=25'], dataSource: 'arcticdb'}).success).toBe(true)
    expect(walkForwardBody.safeParse({strategy: 'S', trainDays: 4, testDays: 2, epochs: 2, dataSource: 'arcticdb'}).success).toBe(true)
  })
})
