import {execFileSync} from 'node:child_process'
import {copyFileSync, existsSync, readdirSync, readFileSync, statSync} from 'node:fs'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {processAlive} from '../../src/core/wait.js'
import {MlflowClient} from '../../src/engines/mlflow/client.js'
import {json, runCli, type CliOptions, type CliResult} from '../helpers/cli.js'
import {schemaErrors} from '../helpers/json-schema.js'
import {startMlflowServer, type TestMlflowServer} from '../helpers/mlflow-server.js'
import {ENGINE_PYTHON, FIXTURES, fixtureUserData, STRATEGIES, tempDir} from '../helpers/paths.js'
import {waitFor} from '../helpers/processes.js'

/**
 * Shadow trading end to end on a real MLflow registry and Freqtrade's real dry-run bot replaying
 * the fixture candles (ETH/BTC, 2 days: its 5 trades; LTC/BTC trades none there): register → challenge meeting the policy → staged →
 * shadow start --replay --foreground → shadow report → promote to production WITHOUT --force;
 * the refusals; determinism; detached start/status/stop, SIGTERM and kill -9; a demo account's
 * keys. One pair keeps every trade of the window and halves the bot's work per step.
 */
const MODEL = 'SampleRsiStrategy'
const PAIRS = ['--pairs', 'ETH/BTC']
const WINDOW = ['--timerange', '20180115-20180117']
const SHORT = ['--timerange', '20180115-20180116']
const ARCTIC = ['--arctic-uri', `lmdb://${tempDir('tradai-shadow-arctic-')}/store`]
const FROM_ARCTIC = ['--data-source', 'arcticdb', ...ARCTIC]
/** What a run read from ArcticDB: library and symbol versions. */
const readVersions = (source?: {library: string; symbols: Array<{symbol: string; version: number}>}) => [
  source?.library,
  source?.symbols.map((symbol) => [symbol.symbol, symbol.version]),
]
/** Real Freqtrade on a 2-core machine shared with other work: generous per-test limits. */
const LONG = 1_800_000

interface Session {
  id: string
  status: string
  sessionDir: string
  version: number
  codeHash: string
  pid: number | null
}

interface ErrorJson {
  error: {code: string; message: string; exitCode: number; details?: {refusals?: Array<{gate: string; message: string}>}}
}

/** Trades as the bot's own database holds them (read with Freqtrade's persistence, not via tradai). */
function dbTrades(sessionDir: string): Array<Record<string, unknown>> {
  const script = [
    'import json, sys',
    'from freqtrade.persistence import Trade, init_db',
    "init_db('sqlite:///' + sys.argv[1])",
    "rows = [{k: t.to_json()[k] for k in ('pair', 'open_date', 'close_date', 'open_rate', 'close_rate', 'amount', 'profit_abs', 'exit_reason')} for t in Trade.get_trades([]).all()]",
    'print(json.dumps(rows))',
  ].join('\n')
  return JSON.parse(execFileSync(ENGINE_PYTHON, ['-c', script, path.join(sessionDir, 'trades.sqlite')], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore']})) as Array<
    Record<string, unknown>
  >
}

describe('shadow trading on a replay, and the production gate', () => {
  let server: TestMlflowServer
  let client: MlflowClient
  let env: NodeJS.ProcessEnv
  let shadowDir: string
  let main: Session
  const cli = async (args: string[], extraEnv: NodeJS.ProcessEnv = {}, onSpawn?: CliOptions['onSpawn']) => runCli(args, {env: {...env, ...extraEnv}, onSpawn})
  const error = (result: CliResult) => json<ErrorJson>(result).error
  const versionTags = async (version: number) => Object.fromEntries(((await client.getModelVersion(MODEL, String(version))).tags ?? []).map((tag) => [tag.key, tag.value]))
  const state = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'state.json'), 'utf8')) as {status: string; pid: number}

  beforeAll(async () => {
    server = await startMlflowServer({timeoutMs: 600_000})
    client = new MlflowClient({uri: server.url})
    const strategies = tempDir('tradai-shadow-strategies-')
    copyFileSync(path.join(STRATEGIES, 'sample_rsi_strategy.py'), path.join(strategies, 'sample_rsi_strategy.py'))
    shadowDir = tempDir('tradai-shadow-sessions-')
    env = {
      TRADAI_MLFLOW_TRACKING_URI: server.url,
      TRADAI_STRATEGIES_DIR: strategies,
      TRADAI_USER_DATA_DIR: fixtureUserData(),
      TRADAI_SHADOW_DIR: shadowDir,
      TRADAI_USER: 'e2e-shadow',
      // The policy of this story (the defaults ask for weeks of trading).
      TRADAI_GATES_CHALLENGE_CRITERIA: 'totalTrades >= 1; maxDrawdown < 0.5',
      TRADAI_GATES_SHADOW_MIN_DAYS: '1.9',
      TRADAI_GATES_SHADOW_MIN_TRADES: '1',
      TRADAI_GATES_SHADOW_MIN_MATCH_RATE: '0.2',
      TRADAI_GATES_SHADOW_MAX_PROFIT_DRIFT: '5',
      TRADAI_GATES_SHADOW_MAX_DRAWDOWN: '0.5',
    }
    // A real local ArcticDB store with the window's pair: one challenge and one replay below read from it.
    const [registered, imported] = await Promise.all([
      cli(['strategy', 'register', MODEL, '--json']),
      cli(['data', 'import', path.join(FIXTURES, 'ETH_BTC-5m.feather'), '--to', 'arcticdb', ...ARCTIC, '--json']),
    ])
    expect(registered.code, registered.stderr).toBe(0)
    expect(imported.code, imported.stderr).toBe(0)
  }, 900_000)

  afterAll(async () => {
    await server?.stop()
  }, LONG)

  it(
    'bad input: unknown strategy and version (5), no candles for the window (5), a window shorter than the startup candles (2), live without network (3)',
    async () => {
      const unknown = await cli(['shadow', 'start', 'NoSuchStrategy', '--replay', ...WINDOW, '--json'])
      expect(unknown.code).toBe(5)
      expect(schemaErrors('error', json(unknown))).toEqual([])
      expect(error(unknown).message).toMatch(/NoSuchStrategy is not registered/)
      const version = await cli(['shadow', 'start', MODEL, '--version', '9', '--replay', ...WINDOW, '--json'])
      expect(version.code).toBe(5)
      expect(error(version).message).toMatch(/no registered version 9/)

      const noCandles = await cli(['shadow', 'start', MODEL, '--replay', '--foreground', ...PAIRS, '--timerange', '20200101-20200103', '--json'])
      expect(noCandles.code, noCandles.stderr).toBe(5)
      expect(error(noCandles).message).toMatch(/no 5m candles within 20200101-20200103 for ETH\/BTC/)
      expect(JSON.stringify(error(noCandles))).toContain('2018-01-10T04:55:00Z')

      const short = await cli(['shadow', 'start', MODEL, '--replay', '--foreground', ...PAIRS, '--timerange', '20180110-20180111', '--json'])
      expect(short.code, short.stderr).toBe(2)
      expect(error(short).message).toMatch(/startup_candle_count 300/)

      const live = await cli(['shadow', 'start', MODEL, '--foreground', ...PAIRS, '--json'])
      expect(live.code, live.stderr).toBe(3)
      expect(error(live)).toMatchObject({code: 'NETWORK'})
      expect(error(live).message).toMatch(/cannot reach api\.binance\.com/)

      const session = await cli(['shadow', 'status', 'sh-nope', '--json'])
      expect(session.code).toBe(5)
      expect(error(session).code).toBe('SHADOW_SESSION_NOT_FOUND')
    },
    LONG,
  )

  it(
    'live --exchange-demo: keys from tradai credentials only in the bot process; none stored: exit 5; offline: exit 3 at the probe, the secrets nowhere',
    async () => {
      const store = {TRADAI_CREDENTIALS_FILE: path.join(tempDir('tradai-shadow-credentials-'), 'credentials.enc'), TRADAI_CREDENTIALS_PASSPHRASE: 'e2e pass phrase'}
      const demo = ['shadow', 'start', MODEL, '--version', '1', '--foreground', '--exchange', 'bybit', '--exchange-demo', '--pairs', 'BTC/USDT', '--json']
      const sessions = () => readdirSync(shadowDir).filter((name) => name.startsWith('sh-'))
      const before = sessions()
      const none = await cli([...demo, '--profile', 'demo'], store)
      expect(none.code, none.stderr).toBe(5)
      expect(error(none)).toMatchObject({code: 'CREDENTIALS_NOT_FOUND'})
      expect(json<{error: {suggestions: string[]}}>(none).error.suggestions.join(' ')).toContain('tradai credentials set bybit --profile demo')
      expect(sessions()).toEqual(before) // refused before a session folder or a bot exists

      const [key, secret] = ['e2eDemoKey7Hq2Lw9Xk4Zp', 'e2eDemoSecret3Vt8Nm5Rb1Yc6Jd0Fs']
      const set = await runCli(['credentials', 'set', 'bybit', '--profile', 'demo', '--json'], {env: {...env, ...store}, input: `${key}\n${secret}\n`})
      expect(set.code, set.stderr).toBe(0)
      const offline = await cli([...demo, '--profile', 'demo', '--verbose'], store) // --verbose: the engine's own log on stderr too
      expect(offline.code, offline.stderr).toBe(3)
      // The fast probe of the demo host failed, before Freqtrade or ccxt started (no trade database).
      expect(error(offline)).toMatchObject({code: 'NETWORK', message: expect.stringMatching(/cannot reach api-demo\.bybit\.com/)})
      const [created] = sessions().filter((name) => !before.includes(name))
      expect(created).toBeDefined()
      const dir = path.join(shadowDir, created!)
      expect(existsSync(path.join(dir, 'trades.sqlite'))).toBe(false)
      // The bot process had the keys in its environment (it says where they came from, never what they are)...
      expect(JSON.parse(readFileSync(path.join(dir, 'state.json'), 'utf8'))).toMatchObject({status: 'failed', demo: true, exchangeKeys: 'environment'})
      expect(JSON.parse(readFileSync(path.join(dir, 'session.json'), 'utf8'))).toMatchObject({mode: 'live', data: {exchange: 'bybit'}})
      // ...and no output (with the engine's log) and no session file holds them (config.json is not written: the probe failed first).
      const files = readdirSync(dir, {recursive: true, withFileTypes: true}).filter((entry) => entry.isFile())
      expect(files.map((entry) => entry.name)).toEqual(expect.arrayContaining(['session.json', 'state.json', 'api.json', 'sample_rsi_strategy.py']))
      for (const text of [offline.stdout, offline.stderr, set.stdout, set.stderr, ...files.map((entry) => readFileSync(path.join(entry.parentPath, entry.name), 'utf8'))]) {
        expect(text).not.toContain(key)
        expect(text).not.toContain(secret)
      }
    },
    LONG,
  )

  it(
    'staging refuses a challenge that skipped a policy criterion, then a challenge meeting the policy stages v1',
    async () => {
      const weak = await cli(['strategy', 'challenge', MODEL, ...PAIRS, ...WINDOW, '--criterion', 'totalTrades >= 1', '--json'])
      expect(weak.code, weak.stderr).toBe(0)
      const refused = await cli(['promote', MODEL, '--to', 'staged', '--json'])
      expect(refused.code, refused.stderr).toBe(1)
      expect(error(refused).details?.refusals).toEqual([
        expect.objectContaining({gate: 'challenge', message: expect.stringContaining('did not evaluate the policy criterion "maxDrawdown < 0.5"')}),
      ])

      // This one reads its candles from the ArcticDB store (the same candles: the same verdict as from files).
      const good = await cli(['strategy', 'challenge', MODEL, ...PAIRS, ...WINDOW, '--criterion', 'totalTrades >= 1', '--criterion', 'maxDrawdown < 0.4', ...FROM_ARCTIC, '--json'])
      expect(good.code, good.stderr).toBe(0)
      const report = json<{backtest: {metrics: Record<string, number>; candleSource?: {library: string; symbols: Array<{symbol: string; version: number}>}}}>(good)
      expect(schemaErrors('strategy-challenge', report)).toEqual([])
      expect(readVersions(report.backtest.candleSource)).toEqual(['binance.spot', [['ETH_BTC-5m', 0]]])
      const weakReport = json<{backtest: {metrics: Record<string, number>; candleSource?: unknown}}>(weak)
      expect(weakReport.backtest.candleSource).toBeUndefined()
      for (const metric of ['totalTrades', 'profitTotal', 'maxDrawdown']) expect(report.backtest.metrics[metric], metric).toBe(weakReport.backtest.metrics[metric])
      const staged = await cli(['promote', MODEL, '--to', 'staged', '--json'])
      expect(staged.code, staged.stderr).toBe(0)
      expect(json(staged)).toMatchObject({applied: true, version: 1, to: 'staged'})
    },
    LONG,
  )

  it(
    'promotion to production without a shadow report is refused (exit 1)',
    async () => {
      const result = await cli(['promote', MODEL, '--to', 'promoted', '--json'])
      expect(result.code, result.stderr).toBe(1)
      expect(error(result).details?.refusals).toEqual([expect.objectContaining({gate: 'shadow', message: expect.stringMatching(/no shadow-trading report/)})])
    },
    LONG,
  )

  it(
    "shadow start --replay --foreground runs Freqtrade's bot on the registry's code over the window",
    async () => {
      const result = await cli(['shadow', 'start', MODEL, '--alias', 'staging', '--replay', '--foreground', ...PAIRS, ...WINDOW, '--json'])
      expect(result.code, result.stderr).toBe(0)
      const doc = json<{session: Session; window: {start: string; end: string}}>(result)
      expect(schemaErrors('shadow-start', doc)).toEqual([])
      main = doc.session
      expect(main).toMatchObject({status: 'completed', version: 1, codeHash: (await versionTags(1))['tradai.code_hash']})
      expect(doc.window).toEqual({start: '2018-01-15T00:00:00Z', end: '2018-01-17T00:00:00Z'})
      // The session folder: no secret in the config, credentials 0600, Freqtrade's own db and log.
      const config = readFileSync(path.join(main.sessionDir, 'config.json'), 'utf8')
      const api = JSON.parse(readFileSync(path.join(main.sessionDir, 'api.json'), 'utf8')) as {password: string}
      expect(config).not.toContain(api.password)
      expect(statSync(path.join(main.sessionDir, 'api.json')).mode & 0o777).toBe(0o600)
      expect(JSON.parse(config)).toMatchObject({dry_run: true, exchange: {enable_ws: false}, api_server: {listen_ip_address: '127.0.0.1'}})
      expect(existsSync(path.join(main.sessionDir, 'strategy', 'sample_rsi_strategy.py'))).toBe(true)
      const trades = dbTrades(main.sessionDir)
      expect(trades.length).toBeGreaterThan(0)
      expect(trades.every((trade) => trade.close_date !== null)).toBe(true) // force-exited at the window's end, like a backtest
    },
    LONG,
  )

  it(
    'shadow report: Freqtrade numbers from the db, drift vs a backtest, gate passed, recorded on the version',
    async () => {
      const result = await cli(['shadow', 'report', main.id, '--json'])
      expect(result.code, result.stderr).toBe(0)
      const report = json<{
        metrics: {totalTrades: number; profitTotalAbs: number}
        trades: Array<{pair: string; openRate: number; profitAbs: number; orders: unknown[]}>
        backtest: {runId: string; metrics: {totalTrades: number}}
        drift: {matchRate: number; matched: unknown[]}
        timing: {days: number; speed: number}
        gate: {passed: boolean; checks: Array<{check: string; passed: boolean}>}
        runId: string
      }>(result)
      expect(schemaErrors('shadow-report', report)).toEqual([])
      const db = dbTrades(main.sessionDir)
      expect(report.trades.map((trade) => [trade.pair, trade.openRate, trade.profitAbs])).toEqual(db.map((trade) => [trade.pair, trade.open_rate, trade.profit_abs]))
      expect(report.metrics.totalTrades).toBe(db.length)
      expect(report.metrics.profitTotalAbs).toBeCloseTo(
        db.reduce((sum, trade) => sum + Number(trade.profit_abs), 0),
        7,
      )
      expect(report.trades.every((trade) => trade.orders.length >= 2)).toBe(true)
      expect(report.backtest.metrics.totalTrades).toBeGreaterThan(0)
      expect(report.timing.days).toBeCloseTo(2, 5)
      expect(report.gate.passed, JSON.stringify(report.gate.checks)).toBe(true)
      expect(await versionTags(1)).toMatchObject({'tradai.shadow.status': 'passed', 'tradai.shadow.run_id': report.runId, 'tradai.shadow.session': main.id})
      const run = await client.getRun(report.runId)
      expect(JSON.parse((await client.downloadArtifact(run.info, 'shadow-report.json')).toString())).toMatchObject({session: {id: main.id}})
    },
    LONG,
  )

  it(
    'a replay is deterministic: the same window gives the same trades in the db, from files or from ArcticDB',
    async () => {
      // The second replay reads the window from the ArcticDB store into its session folder.
      const again = await cli(['shadow', 'start', MODEL, '--version', '1', '--replay', '--foreground', ...PAIRS, ...WINDOW, ...FROM_ARCTIC, '--json'])
      expect(again.code, again.stderr).toBe(0)
      const second = json<{session: Session}>(again).session
      expect(second.id).not.toBe(main.id)
      expect(dbTrades(second.sessionDir)).toEqual(dbTrades(main.sessionDir))
      const session = JSON.parse(readFileSync(path.join(second.sessionDir, 'session.json'), 'utf8')) as {
        candleSource?: {library: string; symbols: Array<{symbol: string; version: number}>}
      }
      expect(readVersions(session.candleSource)).toEqual(['binance.spot', [['ETH_BTC-5m', 0]]])
      expect(existsSync(path.join(second.sessionDir, 'candles', 'data', 'binance', 'ETH_BTC-5m.feather'))).toBe(true)
      expect(JSON.parse(readFileSync(path.join(main.sessionDir, 'session.json'), 'utf8')).candleSource).toBeUndefined()
    },
    LONG,
  )

  it(
    'promotion refuses a report failing gates.shadow and a report of another code hash (exit 1)',
    async () => {
      const strict = await cli(['promote', MODEL, '--to', 'promoted', '--json'], {TRADAI_GATES_SHADOW_MIN_TRADES: '100000'})
      expect(strict.code, strict.stderr).toBe(1)
      expect(error(strict).details?.refusals).toEqual([
        expect.objectContaining({gate: 'shadow', message: expect.stringMatching(/does not meet gates.shadow: trades >= minTrades/)}),
      ])

      // v2: changed code, carrying v1's shadow tags (a stale copy): its report is of other code.
      const file = path.join(env.TRADAI_STRATEGIES_DIR!, 'sample_rsi_strategy.py')
      execFileSync('sh', ['-c', `printf '\\n# v2\\n' >> '${file}'`])
      const v2 = await cli(['strategy', 'register', MODEL, '--json'])
      expect(v2.code, v2.stderr).toBe(0)
      expect(json(v2)).toMatchObject({version: 2})
      const v1 = await versionTags(1)
      for (const key of ['tradai.shadow.status', 'tradai.shadow.run_id', 'tradai.shadow.code_hash']) await client.setModelVersionTag(MODEL, '2', key, v1[key]!)
      const other = await cli(['promote', MODEL, '--to', 'promoted', '--version', '2', '--json'])
      expect(other.code, other.stderr).toBe(1)
      expect(error(other).details?.refusals).toContainEqual(expect.objectContaining({gate: 'shadow', message: expect.stringMatching(/shadow report was for other code/)}))
    },
    LONG,
  )

  it(
    'promotes v1 to production WITHOUT --force: alias production on v1',
    async () => {
      const result = await cli(['promote', MODEL, '--to', 'promoted', '--version', '1', '--json'])
      expect(result.code, result.stderr).toBe(0)
      expect(json(result)).toMatchObject({applied: true, version: 1, to: 'promoted', overriddenGates: []})
      expect((await client.getModelVersionByAlias(MODEL, 'production')).version).toBe('1')
    },
    LONG,
  )

  it(
    'detached start returns once the bot is up; status reads its API; a second start is refused; stop leaves no process',
    async () => {
      const start = await cli(['shadow', 'start', MODEL, '--version', '1', '--replay', '--speed', '30', ...PAIRS, ...SHORT, '--json'])
      expect(start.code, start.stderr).toBe(0)
      const session = json<{session: Session}>(start).session
      expect(session.status).toBe('running')
      const pid = state(session.sessionDir).pid
      expect(processAlive(pid)).toBe(true)

      const status = await cli(['shadow', 'status', session.id, '--json'])
      expect(status.code, status.stderr).toBe(0)
      const doc = json<{source: string; session: Session; clock: {virtualTime: string; candlesTotal: number}}>(status)
      expect(schemaErrors('shadow-status', doc)).toEqual([])
      expect(doc).toMatchObject({source: 'api', session: {status: 'running'}, clock: {candlesTotal: 288}})

      const second = await cli(['shadow', 'start', MODEL, '--version', '1', '--replay', ...PAIRS, ...SHORT, '--json'])
      expect(second.code).toBe(1)
      expect(error(second).message).toContain(`already shadow trading in session ${session.id}`)

      const list = await cli(['shadow', 'list', '--json'])
      expect(schemaErrors('shadow-list', json(list))).toEqual([])
      expect(json<{sessions: Session[]}>(list).sessions.map((entry) => entry.id)).toContain(session.id)

      const stop = await cli(['shadow', 'stop', session.id, '--json'])
      expect(stop.code, stop.stderr).toBe(0)
      expect(schemaErrors('shadow-stop', json(stop))).toEqual([])
      expect(json<{session: Session}>(stop).session.status).toBe('stopped')
      expect(processAlive(pid)).toBe(false)
      expect(processAlive(-pid)).toBe(false) // nothing of its process group either
    },
    LONG,
  )

  it(
    'SIGTERM to a --foreground session stops the bot gracefully: exit 143, trades kept',
    async () => {
      let sessionDir: string | undefined
      const result = await cli(['shadow', 'start', MODEL, '--version', '1', '--replay', '--foreground', '--speed', '120', ...PAIRS, ...SHORT, '--json'], {}, (child) => {
        void (async () => {
          await waitFor(
            () => {
              const running = execFileSync('sh', ['-c', `grep -l '"status": "running"' '${shadowDir}'/*/state.json 2>/dev/null || true`], {encoding: 'utf8'})
                .trim()
                .split('\n')
                .filter(Boolean)
              sessionDir = running.map((file) => path.dirname(file)).find((dir) => dir !== main.sessionDir)
              return sessionDir !== undefined
            },
            300_000,
            500,
          )
          child.kill('SIGTERM')
        })()
      })
      expect(result.code, result.stderr).toBe(143)
      expect(sessionDir).toBeDefined()
      expect(state(sessionDir!).status).toBe('stopped')
      expect(processAlive(state(sessionDir!).pid)).toBe(false)
      expect(existsSync(path.join(sessionDir!, 'trades.sqlite'))).toBe(true)
      expect(() => dbTrades(sessionDir!)).not.toThrow()
    },
    LONG,
  )

  it(
    'kill -9 of the bot: status says dead, the report still comes from the trade db',
    async () => {
      const start = await cli(['shadow', 'start', MODEL, '--version', '1', '--replay', '--speed', '30', ...PAIRS, ...SHORT, '--json'])
      expect(start.code, start.stderr).toBe(0)
      const session = json<{session: Session}>(start).session
      const pid = state(session.sessionDir).pid
      process.kill(-pid, 'SIGKILL')
      expect(await waitFor(() => !processAlive(pid), 10_000)).toBe(true)
      const status = await cli(['shadow', 'status', session.id, '--json'])
      expect(status.code, status.stderr).toBe(0)
      expect(json<{session: Session}>(status).session.status).toBe('dead')
      // The human report (one report run serves both): tables, drift, the overlaid equity chart, the gate.
      const report = await cli(['shadow', 'report', session.id, '--no-record'])
      expect(report.code, report.stderr).toBe(0)
      expect(report.stdout).toContain(`Shadow report ${session.id}: ${MODEL} v1 (dead)`)
      expect(report.stdout).toMatch(/Drift[\s\S]*Match rate[\s\S]*Equity: shadow vs backtest[\s\S]*shadow \(final[\s\S]*backtest \(final[\s\S]*Gate \(gates.shadow\): failed/)
      expect(report.stdout).toMatch(/session completed its window.*FAIL/)
    },
    LONG,
  )
})
