import {copyFileSync, mkdirSync} from 'node:fs'
import {createRequire} from 'node:module'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {json, runCli, type CliResult} from '../helpers/cli.js'
import {schemaErrors} from '../helpers/json-schema.js'
import {startMlflowServer, type TestMlflowServer} from '../helpers/mlflow-server.js'
import {fixtureUserData, STRATEGIES, tempDir} from '../helpers/paths.js'
import {startServe, waitForJob, type ServeProcess} from '../helpers/serve.js'

const require = createRequire(import.meta.url)
const {Validator} = require('@seriousme/openapi-schema-validator') as {Validator: new () => {validate(spec: unknown): Promise<{valid: boolean; errors?: unknown}>}}

/**
 * The service's credentials, sweep, walk-forward and shadow routes against a real `tradai serve`
 * and a real engine: each answers the document its command prints with --json.
 */
const TOKEN = 'e2e-serve-routes-token-8d21'
const MODEL = 'SampleRsiStrategy'
// Planted values: long and unique, so a leak anywhere (a body, the server's log) is found.
const KEY = 'tradaiServeKEY5Hq8Zr2Nc7Wv4Tp1Lm'
const SECRET = 'tradaiServeSECRET3Jd9Xk6Bf0Yg2Ru'
const ENV_SECRET = 'tradaiServeENVSECRET7Pw4Qa1Vs8Ez'
const PASSPHRASE = 'serve routes passphrase'
const STORAGE_PASSWORD = 'tradaiServeSTOREpw6Kc3Mn9Hd2'
const LONG = 900_000

function leaks(text: string): string[] {
  const forms = [KEY, SECRET, ENV_SECRET, PASSPHRASE, STORAGE_PASSWORD].flatMap((value) => [value, Buffer.from(value).toString('base64'), Buffer.from(value).toString('hex')])
  return forms.filter((form) => text.includes(form))
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function projectEnv(): NodeJS.ProcessEnv {
  const strategies = tempDir('tradai-serve-routes-strategies-')
  copyFileSync(path.join(STRATEGIES, 'sample_rsi_strategy.py'), path.join(strategies, 'sample_rsi_strategy.py'))
  return {
    TRADAI_STRATEGIES_DIR: strategies,
    TRADAI_USER_DATA_DIR: fixtureUserData(),
    TRADAI_JOBS_DIR: tempDir('tradai-serve-routes-jobs-'),
    TRADAI_SHADOW_DIR: tempDir('tradai-serve-routes-shadow-'),
    TRADAI_STUDIES_DIR: tempDir('tradai-serve-routes-studies-'),
    TRADAI_SERVER_MAX_JOBS: '2',
  }
}

describe('tradai serve: credentials, sweeps, walk-forwards (no tracking server)', () => {
  let server: ServeProcess
  let env: NodeJS.ProcessEnv
  const bodies: string[] = []
  const cli = async (args: string[], input?: string): Promise<CliResult> => runCli(args, {cwd: env.HOME, env, input})
  const call = async (method: string, route: string, body?: unknown) => {
    const answer = await server.call(method, route, body)
    bodies.push(JSON.stringify(answer.body))
    return answer
  }

  beforeAll(async () => {
    const home = tempDir('tradai-serve-routes-home-')
    const configHome = path.join(home, '.config')
    mkdirSync(configHome, {recursive: true})
    env = {
      ...projectEnv(),
      HOME: home,
      XDG_CONFIG_HOME: configHome,
      TRADAI_CREDENTIALS_PASSPHRASE: PASSPHRASE,
      // An environment credential too: it is listed, its secret only as "yes".
      TRADAI_EXCHANGE_KRAKEN_KEY: 'krakenServeKeyA1b2C3d4E5',
      TRADAI_EXCHANGE_KRAKEN_SECRET: ENV_SECRET,
      TRADAI_MLFLOW_TRACKING_URI: 'http://127.0.0.1:9',
    }
    const set = await cli(['credentials', 'set', 'binance', '--json'], `${KEY}\n${SECRET}\n`)
    expect(set.code, set.stderr).toBe(0)
    server = await startServe({cwd: home, env, token: TOKEN})
  }, LONG)

  afterAll(async () => {
    await server?.stop()
  })

  it("GET /v1/credentials is `credentials list --json`: masked, from the server's own store and environment", async () => {
    const listed = await call('GET', '/v1/credentials')
    expect(listed.status, JSON.stringify(listed.body)).toBe(200)
    expect(schemaErrors('credentials-list', listed.body)).toEqual([])
    const twin = await cli(['credentials', 'list', '--json'])
    expect(twin.code, twin.stderr).toBe(0)
    expect(listed.body).toEqual(json(twin))
    expect(listed.body.credentials).toEqual([
      expect.objectContaining({exchange: 'binance', source: 'file', key: `${KEY.slice(0, 4)}…${KEY.slice(-4)}`, hasSecret: true}),
      expect.objectContaining({exchange: 'kraken', source: 'env', hasSecret: true}),
    ])
  })

  it('POST /v1/credentials/:name/test is `credentials test NAME --json` (offline: signed by ccxt, not sent); unknown exchange 404, bad body 422', async () => {
    const tested = await call('POST', '/v1/credentials/binance/test', {})
    expect(tested.status, JSON.stringify(tested.body)).toBe(200)
    expect(schemaErrors('credentials-test', tested.body)).toEqual([])
    expect(tested.body).toMatchObject({exchange: 'binance', profile: 'default', source: 'file', verified: 'offline', passed: true})
    const twin = await cli(['credentials', 'test', 'binance', '--json'])
    expect(twin.code, twin.stderr).toBe(0)
    expect(tested.body).toEqual(json(twin))

    const missing = await call('POST', '/v1/credentials/okx/test')
    expect(missing.status).toBe(404)
    expect(schemaErrors('error', missing.body)).toEqual([])
    expect(missing.body.error).toMatchObject({code: 'CREDENTIALS_NOT_FOUND', exitCode: 5})

    const bad = await call('POST', '/v1/credentials/binance/test', {online: 'yes'})
    expect(bad.status).toBe(422)
    expect(bad.body.error.details.issues).toEqual([expect.objectContaining({field: 'online'})])
    // A request cannot point the signed call at its own origin.
    const origin = await call('POST', '/v1/credentials/binance/test', {online: true, apiUrl: 'http://127.0.0.1:9'})
    expect(origin.status).toBe(422)
    expect(origin.body.error.details.issues).toEqual([expect.objectContaining({field: 'apiUrl'})])
  })

  it('a server started without the passphrase never prompts: the store answers 400 naming TRADAI_CREDENTIALS_PASSPHRASE', {timeout: LONG}, async () => {
    const locked = await startServe({cwd: env.HOME!, env: {...env, TRADAI_CREDENTIALS_PASSPHRASE: ''}, token: TOKEN})
    try {
      const listed = await locked.call('GET', '/v1/credentials')
      bodies.push(JSON.stringify(listed.body))
      expect(listed.status).toBe(400)
      expect(schemaErrors('error', listed.body)).toEqual([])
      expect(listed.body.error).toMatchObject({code: 'USAGE', exitCode: 2})
      expect(listed.body.error.suggestions.join(' ')).toContain('TRADAI_CREDENTIALS_PASSPHRASE')
      // The environment's credentials need no passphrase.
      const tested = await locked.call('POST', '/v1/credentials/kraken/test', {})
      bodies.push(JSON.stringify(tested.body))
      expect(tested.status, JSON.stringify(tested.body)).toBe(200)
      expect(tested.body).toMatchObject({exchange: 'kraken', source: 'env', verified: 'offline', passed: true})
    } finally {
      await locked.stop()
    }

    expect(leaks(locked.logLines().join('\n'))).toEqual([])
  })

  it('POST /v1/sweeps runs `strategy sweep` as a job: the result is the CLI --json document, the same Freqtrade numbers', {timeout: LONG}, async () => {
    const timerange = '20180115-20180118'
    const sweep = {strategy: MODEL, grid: {buy_rsi: [25, 35]}, pairs: ['ETH/BTC'], timerange, track: false}
    const submitted = await call('POST', '/v1/sweeps', sweep)
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(202)
    expect(schemaErrors('serve-job-accepted', submitted.body)).toEqual([])
    // The same sweep as an Optuna study on shared (SQLite) storage, as `strategy sweep --storage --study`.
    const storage = `sqlite:///${path.join(tempDir('tradai-serve-routes-storage-'), 's.db')}`
    const onStudy = await call('POST', '/v1/sweeps', {...sweep, storage, study: 'serve-sweep'})
    expect(onStudy.status, JSON.stringify(onStudy.body)).toBe(202)
    const [job, studyJob, twin] = await Promise.all([
      waitForJob(server, submitted.body.jobId),
      waitForJob(server, onStudy.body.jobId),
      cli(['strategy', 'sweep', '--strategy', MODEL, '--grid', 'buy_rsi=25,35', '--pairs', 'ETH/BTC', '--timerange', timerange, '--no-track', '--json']),
    ])
    bodies.push(JSON.stringify(job), JSON.stringify(studyJob))
    expect(job.status, JSON.stringify(job.error)).toBe('succeeded')
    expect(job.kind).toBe('sweep')
    expect(schemaErrors('serve-job', job)).toEqual([])
    expect(schemaErrors('strategy-sweep', job.result)).toEqual([])
    expect(twin.code, twin.stderr).toBe(0)
    const cliResult = json<{points: Array<{params: unknown; metrics: {totalTrades: number}}>; best: unknown; grid: unknown; sortBy: string}>(twin)
    expect(job.result.points).toHaveLength(2)
    expect(cliResult.points.some((point) => point.metrics.totalTrades > 0)).toBe(true)
    expect(job.result.points.map((point: {params: unknown; metrics: unknown}) => ({params: point.params, metrics: point.metrics}))).toEqual(
      cliResult.points.map((point) => ({params: point.params, metrics: point.metrics})),
    )
    expect(job.result.best).toEqual(cliResult.best)
    expect(job.result.grid).toEqual(cliResult.grid)
    expect(job.result.tracking).toMatchObject({status: 'disabled'})

    expect(studyJob.status, JSON.stringify(studyJob.error)).toBe('succeeded')
    expect(schemaErrors('strategy-sweep', studyJob.result)).toEqual([])
    expect(studyJob.result.study).toEqual({name: 'serve-sweep', storage, pointsHere: 2})
    const numbers = (points: Array<{params: unknown; metrics: unknown}>) => points.map((point) => ({params: point.params, metrics: point.metrics}))
    expect(numbers(studyJob.result.points)).toEqual(numbers(cliResult.points))
    // Submitted again, it joins the finished study: every point is read from the storage, none is run.
    const again = await call('POST', '/v1/sweeps', {...sweep, storage, study: 'serve-sweep'})
    const rejoined = await waitForJob(server, again.body.jobId)
    bodies.push(JSON.stringify(rejoined))
    expect(rejoined.status, JSON.stringify(rejoined.error)).toBe('succeeded')
    expect(rejoined.result.study).toEqual({name: 'serve-sweep', storage, pointsHere: 0})
    expect(numbers(rejoined.result.points)).toEqual(numbers(cliResult.points))
    // On other candles (another timerange) the study is refused, naming the difference: no point is added.
    const other = await call('POST', '/v1/sweeps', {...sweep, timerange: '20180115-20180117', storage, study: 'serve-sweep'})
    const refused = await waitForJob(server, other.body.jobId)
    bodies.push(JSON.stringify(refused))
    expect(refused.status).toBe('failed')
    expect(refused.error).toMatchObject({exitCode: 2})
    expect(refused.error.message).toContain(`study 'serve-sweep' ran on other candles: timerange is "${timerange}" in the study, "20180115-20180117" here`)
  })

  it('POST /v1/walk-forwards runs `strategy walk-forward` as a job: the same windows, params and numbers as the CLI', {timeout: LONG}, async () => {
    const request = {strategy: MODEL, pairs: ['ETH/BTC'], timerange: '20180112-20180116', trainDays: 2, testDays: 1, windows: 1, epochs: 3, seed: 5, track: false}
    const submitted = await call('POST', '/v1/walk-forwards', request)
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(202)
    const [job, twin] = await Promise.all([
      waitForJob(server, submitted.body.jobId),
      cli([
        'strategy',
        'walk-forward',
        '--strategy',
        MODEL,
        '--pairs',
        'ETH/BTC',
        '--timerange',
        request.timerange,
        '--train-days',
        '2',
        '--test-days',
        '1',
        '--windows',
        '1',
        '--epochs',
        '3',
        '--seed',
        '5',
        '--no-track',
        '--json',
      ]),
    ])
    bodies.push(JSON.stringify(job))
    expect(job.status, JSON.stringify(job.error)).toBe('succeeded')
    expect(job.kind).toBe('walk-forward')
    expect(schemaErrors('serve-job', job)).toEqual([])
    expect(schemaErrors('strategy-walk-forward', job.result)).toEqual([])
    expect(twin.code, twin.stderr).toBe(0)
    type Window = {train: unknown; test: unknown; bestParams: unknown; inSample: {metrics: unknown}; outOfSample: {metrics: unknown}}
    const numbers = (windows: Window[]) =>
      windows.map((window) => ({train: window.train, test: window.test, bestParams: window.bestParams, is: window.inSample.metrics, oos: window.outOfSample.metrics}))
    expect(job.result.windows).toHaveLength(1)
    const cliResult = json<{windows: Window[]; aggregate: unknown}>(twin)
    expect(numbers(job.result.windows)).toEqual(numbers(cliResult.windows))
    expect(job.result.aggregate).toEqual(cliResult.aggregate)
  })

  it('a bad sweep or walk-forward body is refused at once, naming the field (422) or the bad grid (400)', async () => {
    const empty = await call('POST', '/v1/sweeps', {strategy: MODEL, grid: {buy_rsi: []}})
    expect(empty.status).toBe(422)
    expect(schemaErrors('error', empty.body)).toEqual([])
    expect(empty.body.error.message).toContain('"grid')

    const comma = await call('POST', '/v1/sweeps', {strategy: MODEL, grid: {buy_rsi: ['25,30']}})
    expect(comma.status).toBe(422)
    expect(comma.body.error.message).toContain('"grid')

    const unknown = await call('POST', '/v1/sweeps', {strategy: MODEL, grid: ['buy_rsi=25,30'], top: 3})
    expect(unknown.status).toBe(422)
    expect(unknown.body.error.details.issues).toEqual([expect.objectContaining({field: 'top'})])

    const malformed = await call('POST', '/v1/sweeps', {strategy: MODEL, grid: {buy_rsi: '40:20:5'}})
    expect(malformed.status).toBe(400)
    expect(malformed.body.error).toMatchObject({code: 'USAGE', exitCode: 2})
    expect(malformed.body.error.message).toContain('HI (20) is below LO (40)')

    // A bad storage URL is a 400 naming it, its password hidden (in the answer and in no job record).
    const storage = await call('POST', '/v1/sweeps', {strategy: MODEL, grid: {buy_rsi: [25]}, storage: `mysql://tradai:${STORAGE_PASSWORD}@db/studies`})
    expect(storage.status).toBe(400)
    expect(storage.body.error).toMatchObject({code: 'USAGE', exitCode: 2})
    expect(storage.body.error.message).toContain('mysql://***@db/studies')
    const relative = await call('POST', '/v1/sweeps', {strategy: MODEL, grid: {buy_rsi: [25]}, storage: 'sqlite:///s.db'})
    expect(relative.status).toBe(400)
    expect(relative.body.error.message).toContain('sqlite:///s.db')
    // A well-formed URL whose server is not there: the job fails (engine, exit 3) saying so, and
    // neither its record nor its error nor the server's log holds the password.
    const unreachable = `postgresql://tradai:${STORAGE_PASSWORD}@127.0.0.1:9/studies`
    const down = await call('POST', '/v1/sweeps', {strategy: MODEL, grid: {buy_rsi: [25]}, pairs: ['ETH/BTC'], timerange: '20180115-20180116', track: false, storage: unreachable})
    expect(down.status, JSON.stringify(down.body)).toBe(202)
    const failed = await waitForJob(server, down.body.jobId)
    bodies.push(JSON.stringify(failed))
    expect(failed.status).toBe('failed')
    expect(failed.request.storage).toBe('postgresql://***@127.0.0.1:9/studies')
    expect(failed.error).toMatchObject({exitCode: 3})
    expect(failed.error.message).toMatch(/cannot reach the study storage postgresql:\/\/(tradai:)?\*\*\*@127\.0\.0\.1:9\/studies/)
    expect(leaks(server.logLines().join('\n'))).toEqual([])

    const study = await call('POST', '/v1/sweeps', {strategy: MODEL, grid: {buy_rsi: [25]}, study: 'no spaces'})
    expect(study.status).toBe(400)
    expect(study.body.error.message).toContain('no spaces')

    const sortBy = await call('POST', '/v1/sweeps', {strategy: MODEL, grid: {buy_rsi: [25]}, sortBy: 'luck'})
    expect(sortBy.status).toBe(400)
    expect(sortBy.body.error.message).toContain('luck')

    const walk = await call('POST', '/v1/walk-forwards', {strategy: MODEL, testDays: 1, epochs: 2})
    expect(walk.status).toBe(422)
    expect(walk.body.error.details.issues).toEqual([expect.objectContaining({field: 'trainDays'})])

    const live = await call('POST', '/v1/shadow/sessions', {strategy: MODEL, mode: 'live'})
    expect(live.status).toBe(422)
    expect(live.body.error.details.issues).toEqual([expect.objectContaining({field: 'mode'})])
  })

  it('shadow routes answer an empty session list and 404 for an unknown session', async () => {
    const listed = await call('GET', '/v1/shadow/sessions')
    expect(listed.status).toBe(200)
    expect(schemaErrors('shadow-list', listed.body)).toEqual([])
    expect(listed.body).toEqual({sessions: []})
    for (const [method, route] of [
      ['GET', '/v1/shadow/sessions/sh-nope'],
      ['GET', '/v1/shadow/sessions/sh-nope/report'],
      ['DELETE', '/v1/shadow/sessions/sh-nope'],
    ] as const) {
      const missing = await call(method, route)
      expect(missing.status, route).toBe(404)
      expect(missing.body.error).toMatchObject({code: 'SHADOW_SESSION_NOT_FOUND', exitCode: 5})
    }
  })

  it('the OpenAPI document lists the new routes, each behind the bearer token', async () => {
    const {status, body} = await call('GET', '/openapi.json')
    expect(status).toBe(200)
    const validation = await new Validator().validate(body)
    expect(validation.errors ?? []).toEqual([])
    expect(validation.valid).toBe(true)
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining([
        '/v1/credentials',
        '/v1/credentials/{name}/test',
        '/v1/sweeps',
        '/v1/walk-forwards',
        '/v1/shadow/sessions',
        '/v1/shadow/sessions/{id}',
        '/v1/shadow/sessions/{id}/report',
      ]),
    )
    expect(Object.keys(body.paths['/v1/shadow/sessions/{id}'])).toEqual(expect.arrayContaining(['get', 'delete']))
    expect(body.paths['/v1/sweeps'].post.requestBody.content['application/json'].schema.properties).toHaveProperty('grid')
    const denied = await server.call('GET', '/v1/credentials', undefined, {auth: false})
    expect(denied.status).toBe(401)
  })

  it('no response body and no line of the server log carries a secret value, the passphrase or the token', () => {
    expect(bodies.length).toBeGreaterThan(10)
    expect(leaks(bodies.join('\n'))).toEqual([])
    const log = server.logLines().join('\n')
    expect(leaks(log)).toEqual([])
    expect(log).not.toContain(TOKEN)
  })
})

describe('tradai serve: shadow sessions (real MLflow registry, real Freqtrade dry-run bot on a replay)', () => {
  let mlflow: TestMlflowServer
  let server: ServeProcess
  let env: NodeJS.ProcessEnv
  let sessionId: string
  const cli = async (args: string[]): Promise<CliResult> => runCli(args, {env})
  // One day of ETH/BTC: 3 trades, enough for status, list and report (the CLI's shadow e2e covers longer windows).
  const REPLAY = {strategy: MODEL, version: 1, pairs: ['ETH/BTC'], timerange: '20180115-20180116'}

  beforeAll(async () => {
    mlflow = await startMlflowServer({timeoutMs: 840_000})
    env = {...projectEnv(), TRADAI_MLFLOW_TRACKING_URI: mlflow.url, TRADAI_OUTBOX_DIR: tempDir('tradai-serve-routes-outbox-'), TRADAI_USER: 'e2e-serve-routes'}
    const [registered, started] = await Promise.all([cli(['strategy', 'register', MODEL, '--json']), startServe({cwd: tempDir('tradai-serve-routes-project-'), env, token: TOKEN})])
    server = started
    expect(registered.code, registered.stderr).toBe(0)
  }, LONG)

  afterAll(async () => {
    await server?.stop()
    await mlflow?.stop()
  }, LONG)

  it('POST /v1/shadow/sessions runs `shadow start --replay --foreground` as a job; list and status are the CLI documents', {timeout: LONG}, async () => {
    const unknown = await server.call('POST', '/v1/shadow/sessions', {...REPLAY, version: 9})
    expect(unknown.status).toBe(202)
    const refused = await waitForJob(server, unknown.body.jobId)
    expect(refused.status).toBe('failed')
    expect(refused.error).toMatchObject({exitCode: 5})
    expect(refused.error.message).toMatch(/no registered version 9/)

    const submitted = await server.call('POST', '/v1/shadow/sessions', {...REPLAY, foreground: true})
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(202)
    const job = await waitForJob(server, submitted.body.jobId)
    expect(job.status, JSON.stringify(job.error)).toBe('succeeded')
    expect(job.kind).toBe('shadow-start')
    expect(schemaErrors('shadow-start', job.result)).toEqual([])
    expect(job.result.session).toMatchObject({status: 'completed', version: 1, mode: 'replay'})
    expect(job.result.window).toEqual({start: '2018-01-15T00:00:00Z', end: '2018-01-16T00:00:00Z'})
    sessionId = job.result.session.id

    const listed = await server.call('GET', '/v1/shadow/sessions')
    expect(listed.status).toBe(200)
    expect(schemaErrors('shadow-list', listed.body)).toEqual([])
    const listTwin = await cli(['shadow', 'list', '--json'])
    expect(listTwin.code, listTwin.stderr).toBe(0)
    expect(listed.body).toEqual(json(listTwin))
    expect(listed.body.sessions.map((session: {id: string}) => session.id)).toEqual([sessionId])

    const status = await server.call('GET', `/v1/shadow/sessions/${sessionId}`)
    expect(status.status, JSON.stringify(status.body)).toBe(200)
    expect(schemaErrors('shadow-status', status.body)).toEqual([])
    const statusTwin = await cli(['shadow', 'status', sessionId, '--json'])
    expect(statusTwin.code, statusTwin.stderr).toBe(0)
    expect(status.body).toEqual(json(statusTwin))
    expect(status.body.source).toBe('database')
    expect(status.body.trades.closed).toBeGreaterThan(0)
  })

  it('a detached replay job ends once the bot is up; status reads its API; a second start is refused; DELETE stops it and leaves no process', {timeout: LONG}, async () => {
    const submitted = await server.call('POST', '/v1/shadow/sessions', {...REPLAY, timerange: '20180115-20180116', speed: 30})
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(202)
    const job = await waitForJob(server, submitted.body.jobId)
    expect(job.status, JSON.stringify(job.error)).toBe('succeeded')
    expect(schemaErrors('shadow-start', job.result)).toEqual([])
    const session = job.result.session as {id: string; status: string; pid: number}
    expect(session.status).toBe('running')
    expect(alive(session.pid)).toBe(true)
    try {
      const status = await server.call('GET', `/v1/shadow/sessions/${session.id}`)
      expect(status.status, JSON.stringify(status.body)).toBe(200)
      expect(schemaErrors('shadow-status', status.body)).toEqual([])
      expect(status.body).toMatchObject({source: 'api', session: {id: session.id, status: 'running'}})

      const second = await server.call('POST', '/v1/shadow/sessions', {...REPLAY, timerange: '20180115-20180116'})
      const refused = await waitForJob(server, second.body.jobId)
      expect(refused.status).toBe('failed')
      expect(refused.error).toMatchObject({code: 'SHADOW_ALREADY_RUNNING', exitCode: 1})
    } finally {
      const stopped = await server.call('DELETE', `/v1/shadow/sessions/${session.id}`)
      expect(stopped.status, JSON.stringify(stopped.body)).toBe(200)
      expect(schemaErrors('shadow-stop', stopped.body)).toEqual([])
      expect(stopped.body.session).toMatchObject({id: session.id, status: 'stopped'})
    }

    expect(alive(session.pid)).toBe(false)
    expect(alive(-session.pid)).toBe(false) // nothing of its process group either
  })

  it('GET .../report is `shadow report --json` (record=false: nothing on the version); DELETE stops a finished session without error', {timeout: LONG}, async () => {
    expect(sessionId).toBeDefined()
    const report = await server.call('GET', `/v1/shadow/sessions/${sessionId}/report?record=false`)
    expect(report.status, JSON.stringify(report.body)).toBe(200)
    expect(schemaErrors('shadow-report', report.body)).toEqual([])
    expect(report.body.session.id).toBe(sessionId)
    expect(report.body.metrics.totalTrades).toBeGreaterThan(0)
    expect(report.body.runId ?? null).toBeNull()

    const stopped = await server.call('DELETE', `/v1/shadow/sessions/${sessionId}`)
    expect(stopped.status, JSON.stringify(stopped.body)).toBe(200)
    expect(schemaErrors('shadow-stop', stopped.body)).toEqual([])
    expect(stopped.body.session).toMatchObject({id: sessionId, status: 'completed'})
  })
})
