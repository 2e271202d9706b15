import {createRequire} from 'node:module'
import {copyFileSync} from 'node:fs'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {json, runCli} from '../helpers/cli.js'
import {schemaErrors} from '../helpers/json-schema.js'
import {startMlflowServer, type TestMlflowServer} from '../helpers/mlflow-server.js'
import {fixtureUserData, STRATEGIES, tempDir} from '../helpers/paths.js'
import {processesIn, waitFor} from '../helpers/processes.js'
import {readEvents, startServe, waitForJob, type ServeProcess, type SseMessage} from '../helpers/serve.js'

const require = createRequire(import.meta.url)
const {Validator} = require('@seriousme/openapi-schema-validator') as {Validator: new () => {validate(spec: unknown): Promise<{valid: boolean; errors?: unknown}>}}

/**
 * A real `tradai serve` on 127.0.0.1 (a free port), a real engine and a real MLflow server:
 * the HTTP front answers with the CLI's own documents and refuses what the CLI refuses.
 */
const TOKEN = 'e2e-serve-token-3f9a1c'
const MODEL = 'SampleRsiStrategy'
const REQUEST = {strategy: MODEL, pairs: ['ETH/BTC'], timerange: '20180110-20180113'}

describe('tradai serve over HTTP', () => {
  let mlflow: TestMlflowServer
  let server: ServeProcess
  let project: string
  let env: NodeJS.ProcessEnv

  beforeAll(async () => {
    // A busy shared machine can take minutes to start MLflow.
    mlflow = await startMlflowServer({timeoutMs: 840_000})
    project = tempDir('tradai-serve-project-')
    const strategies = tempDir('tradai-serve-strategies-')
    copyFileSync(path.join(STRATEGIES, 'sample_rsi_strategy.py'), path.join(strategies, 'sample_rsi_strategy.py'))
    env = {
      TRADAI_MLFLOW_TRACKING_URI: mlflow.url,
      TRADAI_STRATEGIES_DIR: strategies,
      TRADAI_USER_DATA_DIR: fixtureUserData(),
      TRADAI_JOBS_DIR: tempDir('tradai-serve-jobs-'),
      TRADAI_OUTBOX_DIR: tempDir('tradai-serve-outbox-'),
      TRADAI_SERVER_MAX_JOBS: '2',
      TRADAI_USER: 'e2e-api',
    }
    server = await startServe({cwd: project, env, token: TOKEN})
  }, 900_000)

  afterAll(async () => {
    await server?.stop()
    await mlflow?.stop()
  })

  it('answers /health without a token and everything else only with it (401 is the error document)', async () => {
    const health = await server.call('GET', '/health', undefined, {auth: false})
    expect(health.status).toBe(200)
    expect(schemaErrors('serve-health', health.body)).toEqual([])
    for (const options of [{auth: false}, {token: 'wrong-token-of-another-length'}, {token: TOKEN.replace(/.$/, 'x')}]) {
      const denied = await server.call('GET', '/v1/strategies', undefined, options)
      expect(denied.status).toBe(401)
      expect(schemaErrors('error', denied.body)).toEqual([])
      expect(denied.body.error.code).toBe('UNAUTHORIZED')
      expect(JSON.stringify(denied.body)).not.toContain(TOKEN)
    }

    const ready = await server.call('GET', '/ready')
    expect(ready.status, JSON.stringify(ready.body)).toBe(200)
    expect(schemaErrors('serve-ready', ready.body)).toEqual([])
    // No log line carries the token.
    expect(server.logLines().join('\n')).not.toContain(TOKEN)
  })

  it('serves a valid OpenAPI 3 document naming every route', async () => {
    const {status, body} = await server.call('GET', '/openapi.json')
    expect(status).toBe(200)
    const result = await new Validator().validate(body)
    expect(result.errors ?? []).toEqual([])
    expect(result.valid).toBe(true)
    expect(body.openapi).toMatch(/^3\./)
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining([
        '/health',
        '/ready',
        '/v1/backtests',
        '/v1/jobs/{id}',
        '/v1/jobs/{id}/events',
        '/v1/promotions',
        '/v1/promotions/plan',
        '/v1/promotions/rollback',
        '/v1/strategies/lint',
      ]),
    )
    expect(body.paths['/v1/backtests'].post.requestBody.content['application/json'].schema.properties).toHaveProperty('stakeAmount')
  })

  it('answers 422 with the error document naming the bad field, and refuses a folder in a request', {timeout: 600_000}, async () => {
    const bad = await server.call('POST', '/v1/backtests', {...REQUEST, pairs: ['ethbtc']})
    expect(bad.status).toBe(422)
    expect(schemaErrors('error', bad.body)).toEqual([])
    expect(bad.body.error).toMatchObject({code: 'INVALID_REQUEST', exitCode: 2})
    expect(bad.body.error.message).toContain('"pairs.0"')
    expect(bad.body.error.details.issues).toEqual([expect.objectContaining({field: 'pairs.0'})])

    const folder = await server.call('POST', '/v1/backtests', {...REQUEST, userDataDir: '/etc'})
    expect(folder.status).toBe(422)
    expect(folder.body.error.details.issues).toEqual([expect.objectContaining({field: 'userDataDir'})])

    const unknown = await server.call('GET', '/v1/strategies/NoSuchStrategy')
    expect(unknown.status).toBe(404)
    expect(unknown.body.error.exitCode).toBe(5)
    expect(JSON.stringify(unknown.body)).not.toMatch(/\n\s+at /)
  })

  it('runs a backtest as a job whose result is the CLI --json document, with its events in order', {timeout: 900_000}, async () => {
    const submitted = await server.call('POST', '/v1/backtests', REQUEST)
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(202)
    expect(schemaErrors('serve-job-accepted', submitted.body)).toEqual([])
    const {jobId} = submitted.body
    expect(submitted.headers.get('location')).toBe(`/v1/jobs/${jobId}`)
    const events = await readEvents(`${server.url}/v1/jobs/${jobId}/events`, TOKEN)
    const job = await waitForJob(server, jobId)
    expect(job.status, JSON.stringify(job.error)).toBe('succeeded')
    expect(schemaErrors('serve-job', job)).toEqual([])
    expect(schemaErrors('strategy-backtest', job.result)).toEqual([])
    expect(job.result.tracking.status).toBe('logged')

    // Events: numbered 1..n without a gap, running first, succeeded last, then `end`.
    const numbered = events.filter((message) => message.event !== 'end')
    expect(numbered.map((message) => Number(message.id))).toEqual(numbered.map((_, index) => index + 1))
    expect(numbered[0]!.data.event).toEqual({type: 'status', status: 'running'})
    expect(numbered.at(-1)!.data.event).toEqual({type: 'status', status: 'succeeded'})
    expect(events.at(-1)).toMatchObject({event: 'end', data: {status: 'succeeded'}})
    const stages = numbered.filter((message) => message.event === 'stage').map((message) => `${message.data.event.stage}:${message.data.event.status}`)
    expect(stages.indexOf('backtest:start')).toBeLessThan(stages.indexOf('backtest:done'))
    expect(stages.indexOf('backtest:done')).toBeLessThan(stages.indexOf('results:done'))
    expect(stages).toContain('tracking:done')

    // The CLI's --json for the same request: Freqtrade's same numbers.
    const cli = await runCli(['strategy', 'backtest', '--strategy', MODEL, '--pairs', 'ETH/BTC', '--timerange', REQUEST.timerange, '--no-track', '--json'], {env})
    expect(cli.code, cli.stderr).toBe(0)
    const twin = json<{metrics: {totalTrades: number; profitTotal: number; profitTotalAbs: number}}>(cli)
    expect(twin.metrics.totalTrades).toBeGreaterThan(0)
    expect(job.result.metrics.totalTrades).toBe(twin.metrics.totalTrades)
    expect(job.result.metrics.profitTotal).toBe(twin.metrics.profitTotal)
    expect(job.result.metrics.profitTotalAbs).toBe(twin.metrics.profitTotalAbs)

    // A finished job's events are still there (read back from disk).
    const replay = await readEvents(`${server.url}/v1/jobs/${jobId}/events`, TOKEN)
    expect(replay.map((message) => message.id)).toEqual(events.map((message) => message.id))
  })

  it('DELETE cancels a running backtest and leaves no engine process', {timeout: 600_000}, async () => {
    const submitted = await server.call('POST', '/v1/backtests', {...REQUEST, timerange: '20180110-20180120', track: false})
    const {jobId} = submitted.body
    const seen: SseMessage[] = []
    const stream = readEvents(`${server.url}/v1/jobs/${jobId}/events`, TOKEN, (message) => seen.push(message))
    const engineProcesses = () => processesIn(project).filter((pid) => pid !== server.pid)
    // Cancel once the engine is really working (its process is up and the strategy stage began).
    expect(await waitFor(() => engineProcesses().length > 0 && seen.some((message) => message.data?.event?.stage === 'strategy'), 240_000)).toBe(true)
    const cancelled = await server.call('DELETE', `/v1/jobs/${jobId}`)
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200)
    expect(cancelled.body.status).toBe('cancelled')
    expect(cancelled.body.error.code).toBe('CANCELLED')
    expect(engineProcesses()).toEqual([])
    expect((await stream).at(-1)).toMatchObject({event: 'end', data: {status: 'cancelled'}})
    // Cancelling again: it already finished.
    const again = await server.call('DELETE', `/v1/jobs/${jobId}`)
    expect(again.status).toBe(409)
    expect(again.body.error.code).toBe('JOB_FINISHED')
  })

  it('refuses a promotion through the API with the same gates as the CLI', {timeout: 900_000}, async () => {
    const registered = await server.call('POST', '/v1/registrations', {strategy: MODEL})
    expect(registered.status, JSON.stringify(registered.body)).toBe(200)
    expect(schemaErrors('strategy-register', registered.body)).toEqual([])
    expect(registered.body).toMatchObject({model: {name: MODEL}, version: 1, state: 'registered'})

    const api = await server.call('POST', '/v1/promotions', {strategy: MODEL, to: 'staged'})
    const plan = await server.call('POST', '/v1/promotions/plan', {strategy: MODEL, to: 'staged'})
    const cli = await runCli(['promote', MODEL, '--to', 'staged', '--json'], {env})
    expect(cli.code, cli.stderr).toBe(1)
    const cliError = json<{error: {code: string; details: {refusals: Array<{gate: string}>}}}>(cli).error
    for (const answer of [api, plan]) {
      expect(answer.status, JSON.stringify(answer.body)).toBe(409)
      expect(schemaErrors('error', answer.body)).toEqual([])
      expect(answer.body.error.code).toBe(cliError.code)
      expect(answer.body.error.details.refusals.map((refusal: {gate: string}) => refusal.gate)).toEqual(cliError.details.refusals.map((refusal) => refusal.gate))
    }

    // Nothing moved: still registered, no staging alias.
    const model = await server.call('GET', `/v1/models/${MODEL}`)
    expect(model.status).toBe(200)
    expect(model.body.aliases).toEqual({})
    expect(model.body.versions.map((version: {tags: Record<string, string>}) => version.tags['tradai.state'])).toEqual(['registered'])
  })

  it('logs one JSON line per request with method, route, status, duration and job id', () => {
    const requests = server
      .logLines()
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.msg === 'request')
    expect(requests.length).toBeGreaterThan(10)
    for (const line of requests) expect(Object.keys(line)).toEqual(expect.arrayContaining(['method', 'route', 'status', 'durationMs', 'jobId']))
    expect(requests.some((line) => line.route === '/v1/backtests' && line.status === 202 && typeof line.jobId === 'string')).toBe(true)
  })
})
