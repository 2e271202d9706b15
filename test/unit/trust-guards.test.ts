import {createServer, type Server} from 'node:http'
import {writeFileSync} from 'node:fs'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {describeSyntaxError, locateJsonError} from '../../src/core/config/syntax-error.js'
import {loadConfig} from '../../src/core/config/load.js'
import {parseDuration, timeLimited} from '../../src/core/engine-timeout.js'
import {redact, redactUrl, secretsFromEnv} from '../../src/core/redact.js'
import {MlflowClient} from '../../src/engines/mlflow/client.js'
import {bridgeEnv} from '../../src/engines/python/engine-env.js'
import {tempDir} from '../helpers/paths.js'

describe('redact: the one redaction function', () => {
  it('drops user-info from every URL and every known secret value', () => {
    expect(redactUrl('http://alice:pw-secret@host:5000/x')).toBe('http://***@host:5000/x')
    expect(redactUrl('postgresql://u:p@db/optuna')).toBe('postgresql://***@db/optuna')
    expect(redact('MLflow at https://tok3n@h/ and http://h2 failed, key exch-secret-1', ['exch-secret-1'])).toBe('MLflow at https://***@h/ and http://h2 failed, key ***')
  })

  it('collects secret-named variables and URL passwords from an environment, not ordinary values', () => {
    const secrets = secretsFromEnv({MY_SECRET: 'abcdefg', PATH: '/usr/bin', TRADAI_GATE_KEY: 'gate-key-value', DB: 'postgresql://u:dbpass-123@h/x', SHORT_TOKEN: 'x'})
    expect(secrets.sort()).toEqual(['abcdefg', 'dbpass-123', 'gate-key-value'])
  })
})

describe('config syntax errors name file, line, column and kind, never the text', () => {
  it('locates a JSON error', () => {
    expect(locateJsonError('{\n  "a": 1,\n  "b": tru\n}')).toMatchObject({line: 3, column: 8})
    expect(locateJsonError('{"a": "unterminated\n}')).toMatchObject({line: 1, kind: 'unterminated string'})
    expect(locateJsonError('{"a": [1, 2]}')).toBeNull()
  })

  it('YAML and JSON files with a broken line next to a password: no line text in the error', async () => {
    const dir = tempDir('tradai-syntax-')
    const yaml = path.join(dir, 'tradai.config.yaml')
    writeFileSync(yaml, 'tracking:\n  password: "hunter2-yaml-secret\n  uri: http://x\n')
    const json = path.join(dir, 'bad.json')
    writeFileSync(json, '{\n "tracking": {"password": "hunter2-json-secret", "uri": http://x}\n}\n')
    for (const [file, where] of [
      [yaml, /YAML syntax error in .*tradai\.config\.yaml at line \d+, column \d+: /],
      [json, /JSON syntax error in .*bad\.json at line 2, column 57: unexpected character/],
    ] as const) {
      const error = await loadConfig({cwd: dir, env: {}, configPath: file}).catch((caught: Error) => caught)
      expect((error as unknown as {exitCode: number}).exitCode).toBe(2)
      expect((error as Error).message).toMatch(where)
      expect(JSON.stringify(error) + (error as Error).message + (error as Error).stack + String((error as Error).cause)).not.toMatch(/hunter2/)
    }

    expect(describeSyntaxError('x.js', null, new SyntaxError("Unexpected identifier 'hunter2'"))).toBe('SyntaxError in x.js: Unexpected identifier …')
  })

  it('an invalid value of a secret key is reported masked', async () => {
    const dir = tempDir('tradai-secretkey-')
    const file = path.join(dir, 'tradai.config.json')
    writeFileSync(file, JSON.stringify({tracking: {password: 123_456_789}}))
    const error = (await loadConfig({cwd: dir, env: {}, configPath: file}).catch((caught: Error) => caught)) as Error
    expect(error.message).toMatch(/"tracking.password" .*\(from file/)
    expect(error.message).not.toContain('123456789')
  })
})

describe('the engine environment is an allow-list', () => {
  it('keeps what Python needs, drops credentials, passes opt-in credentials only when asked', () => {
    const base = {
      PATH: '/usr/bin',
      HOME: '/home/u',
      LANG: 'C.UTF-8',
      LC_ALL: 'C',
      TZ: 'UTC',
      TMPDIR: '/tmp',
      PYTHONHASHSEED: '0',
      MLFLOW_TRACKING_PASSWORD: 'p',
      MLFLOW_TRACKING_URI: 'http://u:p@h',
      FREQTRADE__EXCHANGE__KEY: 'k',
      AWS_SECRET_ACCESS_KEY: 's',
      HTTPS_PROXY: 'http://user:pw@proxy:3128',
      NO_PROXY: 'localhost',
      RANDOM_APP_SETTING: 'x',
      TRADAI_GATE_KEY: 'g',
      TRADAI_ENGINE_FOO_TOKEN: 't',
    }
    const env = bridgeEnv(base)
    expect(Object.keys(env).sort()).toEqual([
      'HOME',
      'LANG',
      'LC_ALL',
      'NO_PROXY',
      'PATH',
      'PYTHONHASHSEED',
      'PYTHONNOUSERSITE',
      'PYTHONPATH',
      'PYTHONUNBUFFERED',
      'TMPDIR',
      'TRADAI_ENGINE_PARENT_PID',
      'TZ',
    ])
    expect(env.TRADAI_ENGINE_PARENT_PID).toBe(String(process.pid))
    expect(bridgeEnv(base, {exchangeCredentials: {key: 'k2', secret: 's2'}}).FREQTRADE__EXCHANGE__KEY).toBe('k2')
  })
})

describe('nothing hangs', () => {
  let server: Server
  let url: string
  beforeAll(async () => {
    // Answers runs/get, swallows every upload without answering.
    server = createServer((request, response) => {
      if (request.method === 'PUT') {
        request.resume()
        return
      }

      response.setHeader('content-type', 'application/json')
      response.end('{}')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    url = `http://127.0.0.1:${(server.address() as {port: number}).port}`
  })
  afterAll(() => {
    server.closeAllConnections()
    server.close()
  })

  it('an artifact upload the server never answers fails with a tracking error after the request timeout', async () => {
    const file = path.join(tempDir('tradai-upload-'), 'a.txt')
    writeFileSync(file, 'x'.repeat(1000))
    const client = new MlflowClient({uri: url, timeoutMs: 300, retries: 0})
    const run = {run_id: 'r', experiment_id: '1', artifact_uri: 'mlflow-artifacts:/1/r/artifacts'} as never
    await expect(client.uploadArtifact(run, 'a.txt', file)).rejects.toMatchObject({
      exitCode: 4,
      code: 'TRACKING_UNREACHABLE',
      message: expect.stringMatching(/did not answer in time \(upload of a\.txt/),
    })
  })

  it('--timeout durations and the shared engine deadline', async () => {
    expect([parseDuration('90', '--timeout'), parseDuration('90s', '--timeout'), parseDuration('1h30m', '--timeout')]).toEqual([90, 90, 5400])
    expect(() => parseDuration('1 hour', '--timeout')).toThrow(/Malformed duration "1 hour" \(--timeout\)/)
    const hang = {
      run: (_op: string, _req: unknown, ctx: {signal: AbortSignal}) => new Promise((_resolve, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason))),
    }
    const limited = timeLimited(hang as never, {seconds: 0.2, what: 'The backtest', source: '--timeout 0.2'})
    await expect(limited.run('backtest', {} as never, {signal: new AbortController().signal, onEvent: () => {}})).rejects.toMatchObject({exitCode: 3, code: 'ENGINE_TIMEOUT'})
  })
})
