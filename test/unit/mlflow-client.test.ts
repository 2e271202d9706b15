import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'
import {afterEach, describe, expect, it} from 'vitest'

import {ExitCode, NotFoundError, TrackingError} from '../../src/core/errors.js'
import {chunkBatch, LOG_BATCH_LIMITS} from '../../src/engines/mlflow/batch.js'
import {MlflowClient} from '../../src/engines/mlflow/client.js'
import {freePort} from '../helpers/mlflow-server.js'

/**
 * Error paths against a tiny fake HTTP server on 127.0.0.1 (the real path is tested against a
 * real MLflow server in test/e2e/tracking*.test.ts).
 */
type Handler = (req: IncomingMessage & {body: string}, res: ServerResponse) => void
let server: Server | undefined
const seen: Array<{method: string; url: string; auth?: string; body: string}> = []

async function fake(handler: Handler): Promise<string> {
  seen.length = 0
  server = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk: Buffer) => (body += chunk.toString()))
    req.on('end', () => {
      seen.push({method: req.method!, url: req.url!, auth: req.headers.authorization, body})
      handler(Object.assign(req, {body}), res)
    })
  })
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, {'content-type': 'application/json'})
  res.end(JSON.stringify(body))
}

afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)))
  server = undefined
})

async function failure(promise: Promise<unknown>): Promise<TrackingError> {
  try {
    await promise
  } catch (error) {
    return error as TrackingError
  }

  throw new Error('expected a failure')
}

describe('MlflowClient error paths', () => {
  it('a refused connection is a TrackingError (exit 4) naming the URI, after retries', async () => {
    const port = await freePort()
    const started = Date.now()
    const error = await failure(new MlflowClient({uri: `http://127.0.0.1:${port}`, retries: 2, backoffMs: 100}).getExperimentByName('x'))
    expect(error).toBeInstanceOf(TrackingError)
    expect(error.exitCode).toBe(ExitCode.tracking)
    expect(error.code).toBe('TRACKING_UNREACHABLE')
    expect(error.message).toContain(`127.0.0.1:${port} refused the connection`)
    expect(error.suggestions.join(' ')).toContain('tradai tracking start')
    // 2 retries: 100 ms + 200 ms of backoff.
    expect(Date.now() - started).toBeGreaterThanOrEqual(300)
  })

  it('an unknown host is reported as such', async () => {
    const error = await failure(new MlflowClient({uri: 'http://no-such-host.invalid:5000', retries: 0}).getExperimentByName('x'))
    expect(error.exitCode).toBe(ExitCode.tracking)
    expect(error.message).toMatch(/no-such-host\.invalid:5000 (is an unknown host|could not be reached)/)
  })

  it('retries an idempotent call on 5xx, then succeeds', async () => {
    let calls = 0
    const uri = await fake((_req, res) =>
      ++calls < 3 ? json(res, 503, {error_code: 'TEMPORARILY_UNAVAILABLE', message: 'busy'}) : json(res, 200, {experiment: {experiment_id: '7', name: 'x'}}),
    )
    const experiment = await new MlflowClient({uri, backoffMs: 10}).getExperimentByName('x')
    expect(experiment?.experiment_id).toBe('7')
    expect(calls).toBe(3)
  })

  it('never retries a create (it could make two runs) and carries the server message', async () => {
    const uri = await fake((_req, res) => json(res, 500, {error_code: 'INTERNAL_ERROR', message: 'database is locked\nTraceback...'}))
    const error = await failure(new MlflowClient({uri, backoffMs: 10}).createRun({experimentId: '1', startTime: 1, tags: []}))
    expect(seen).toHaveLength(1)
    expect(error.exitCode).toBe(ExitCode.tracking)
    expect(error.code).toBe('TRACKING_SERVER_ERROR')
    expect(error.message).toContain('HTTP 500 INTERNAL_ERROR')
    expect(error.message).toContain('database is locked')
    expect(error.message).not.toContain('Traceback')
  })

  it('401 names the credential variables, never their values; Basic auth is sent', async () => {
    const uri = await fake((_req, res) => json(res, 401, {error_code: 'UNAUTHENTICATED', message: 'You are not authenticated.'}))
    const password = 'hunter2-planted-password'
    const error = await failure(new MlflowClient({uri, auth: {username: 'alice', password}}).getRun('abc'))
    expect(seen[0]!.auth).toBe(`Basic ${Buffer.from(`alice:${password}`).toString('base64')}`)
    expect(error.code).toBe('TRACKING_UNAUTHORIZED')
    expect(error.exitCode).toBe(ExitCode.tracking)
    expect(error.message).toContain('MLFLOW_TRACKING_USERNAME / MLFLOW_TRACKING_PASSWORD')
    expect(JSON.stringify({message: error.message, suggestions: error.suggestions, details: error.details})).not.toContain(password)
    expect(JSON.stringify(error.details)).not.toContain(Buffer.from(`alice:${password}`).toString('base64'))
  })

  it('403 with a Bearer token says permission denied and names MLFLOW_TRACKING_TOKEN', async () => {
    const uri = await fake((_req, res) => json(res, 403, {error_code: 'PERMISSION_DENIED', message: 'Permission denied'}))
    const error = await failure(new MlflowClient({uri, auth: {token: 'tok-planted-123456'}}).getRun('abc'))
    expect(seen[0]!.auth).toBe('Bearer tok-planted-123456')
    expect(error.code).toBe('TRACKING_FORBIDDEN')
    expect(error.message).toContain('MLFLOW_TRACKING_TOKEN')
    expect(error.message).not.toContain('tok-planted-123456')
  })

  it('credentials in the URI are used for Basic auth and never shown', async () => {
    const base = await fake((_req, res) => json(res, 401, {}))
    const client = new MlflowClient({uri: base.replace('http://', 'http://bob:s3cr3t-in-uri@')})
    expect(client.uri).toBe(base)
    const error = await failure(client.getRun('abc'))
    expect(seen[0]!.auth).toBe(`Basic ${Buffer.from('bob:s3cr3t-in-uri').toString('base64')}`)
    expect(error.message).not.toContain('s3cr3t-in-uri')
  })

  it('404 RESOURCE_DOES_NOT_EXIST is NotFoundError (exit 5) with the server message', async () => {
    const uri = await fake((_req, res) => json(res, 404, {error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'Run with id=abc not found'}))
    const error = await failure(new MlflowClient({uri}).getRun('abc'))
    expect(error).toBeInstanceOf(NotFoundError)
    expect(error.exitCode).toBe(ExitCode.notFound)
    expect(error.message).toContain('Run with id=abc not found')
  })

  it('a 404 page without an MLflow error is a wrong URL', async () => {
    const uri = await fake((_req, res) => {
      res.writeHead(404, {'content-type': 'text/html'})
      res.end('<html>Not Found</html>')
    })
    const error = await failure(new MlflowClient({uri}).getRun('abc'))
    expect(error.code).toBe('TRACKING_BAD_URI')
    expect(error.exitCode).toBe(ExitCode.tracking)
    expect(error.suggestions.join(' ')).toContain('server root')
  })

  it('a malformed answer (HTML with 200, or the wrong JSON) is reported, not crashed on', async () => {
    let html = true
    const uri = await fake((_req, res) => {
      if (html) {
        res.writeHead(200, {'content-type': 'text/html'})
        res.end('<html>some other web app</html>')
      } else json(res, 200, {run: {info: {run_id: 42}}})
    })
    const first = await failure(new MlflowClient({uri}).getRun('abc'))
    expect(first.code).toBe('TRACKING_MALFORMED')
    expect(first.message).toContain('some other web app')
    html = false
    const second = await failure(new MlflowClient({uri}).getRun('abc'))
    expect(second.code).toBe('TRACKING_MALFORMED')
    expect(second.message).toContain('run.info.run_id')
  })

  it('RESOURCE_ALREADY_EXISTS (HTTP 400) on create is a race, not an error: the existing experiment is used', async () => {
    let lookups = 0
    const uri = await fake((req, res) => {
      if (req.url!.startsWith('/api/2.0/mlflow/experiments/get-by-name')) {
        lookups++
        if (lookups === 1) json(res, 404, {error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'no'})
        else json(res, 200, {experiment: {experiment_id: '9', name: 'x'}})
      } else json(res, 400, {error_code: 'RESOURCE_ALREADY_EXISTS', message: 'Experiment(name=x) already exists.'})
    })
    expect(await new MlflowClient({uri}).ensureExperiment('x')).toBe('9')
    expect(seen.map((s) => s.url.split('?')[0])).toEqual([
      '/api/2.0/mlflow/experiments/get-by-name',
      '/api/2.0/mlflow/experiments/create',
      '/api/2.0/mlflow/experiments/get-by-name',
    ])
  })

  it('log-batch is chunked to MLflow limits and delivers every entity once', async () => {
    const uri = await fake((_req, res) => json(res, 200, {}))
    const metrics = Array.from({length: 2500}, (_, i) => ({key: `m${i}`, value: i, timestamp: 1, step: 0}))
    const params = Array.from({length: 250}, (_, i) => ({key: `p${i}`, value: i === 0 ? 'x'.repeat(7000) : String(i)}))
    const tags = Array.from({length: 150}, (_, i) => ({key: `t${i}`, value: String(i)}))
    await new MlflowClient({uri}).logBatch('run1', {metrics, params, tags})
    const bodies = seen.map((s) => JSON.parse(s.body) as {run_id: string; metrics: unknown[]; params: Array<{key: string; value: string}>; tags: unknown[]})
    for (const body of bodies) {
      expect(body.run_id).toBe('run1')
      expect(body.metrics.length).toBeLessThanOrEqual(1000)
      expect(body.params.length).toBeLessThanOrEqual(100)
      expect(body.tags.length).toBeLessThanOrEqual(100)
      expect(body.metrics.length + body.params.length + body.tags.length).toBeLessThanOrEqual(1000)
    }

    expect(bodies.flatMap((b) => b.metrics)).toHaveLength(2500)
    expect(bodies.flatMap((b) => b.params)).toHaveLength(250)
    expect(bodies.flatMap((b) => b.tags)).toHaveLength(150)
    expect(bodies[0]!.params[0]!.value.length).toBe(LOG_BATCH_LIMITS.paramValue)
  })
})

describe('chunkBatch', () => {
  it('an empty batch is no request; a small one is one', () => {
    expect(chunkBatch({metrics: [], params: [], tags: []})).toEqual([])
    expect(chunkBatch({metrics: [{key: 'a', value: 1, timestamp: 1, step: 0}], params: [{key: 'p', value: 'v'}], tags: []})).toHaveLength(1)
  })
})
