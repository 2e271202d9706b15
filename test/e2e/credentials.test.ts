import {createHmac} from 'node:crypto'
import {mkdirSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {json, runCli, type CliResult} from '../helpers/cli.js'
import {schemaErrors} from '../helpers/json-schema.js'
import {tempDir} from '../helpers/paths.js'

// Planted values: long and unique, so a leak anywhere (output, a file, the store's bytes) is found.
const KEY = 'tradaiPlantedKEY7Q2xVb9LmN4sRt8WzK3'
const SECRET = 'tradaiPlantedSECRETh6Jp1Yc5Ud0Ae7Gf2Ko9'
const PASSPHRASE = 'correct horse battery staple'

interface Sandbox {
  home: string
  cwd: string
  tmp: string
  store: string
  env: NodeJS.ProcessEnv
}

/** A user of their own: HOME, XDG config, cwd and TMPDIR all fresh, so every file tradai writes is ours to search. */
function sandbox(): Sandbox {
  const root = tempDir('tradai-creds-')
  const [home, cwd, tmp] = ['home', 'project', 'tmp'].map((name) => path.join(root, name)) as [string, string, string]
  for (const dir of [home, cwd, tmp]) mkdirSync(dir, {recursive: true})
  const configHome = path.join(home, '.config')
  return {
    home,
    cwd,
    tmp,
    store: path.join(configHome, 'tradai', 'credentials.enc'),
    env: {HOME: home, XDG_CONFIG_HOME: configHome, TMPDIR: tmp, TRADAI_CREDENTIALS_PASSPHRASE: PASSPHRASE},
  }
}

async function cli(box: Sandbox, args: string[], options: {input?: string; env?: NodeJS.ProcessEnv} = {}): Promise<CliResult> {
  return runCli(args, {cwd: box.cwd, input: options.input, env: {...box.env, ...options.env}})
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, {withFileTypes: true, recursive: true})
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
}

function leaks(text: string | Buffer, values = [KEY, SECRET]): string[] {
  const haystack = Buffer.isBuffer(text) ? text.toString('latin1') : text
  const forms = values.flatMap((value) => [value, Buffer.from(value).toString('base64'), Buffer.from(value).toString('hex')])
  return forms.filter((form) => haystack.includes(form))
}

function expectNoLeak(run: CliResult): void {
  expect(leaks(run.stdout), 'stdout').toEqual([])
  expect(leaks(run.stderr), 'stderr').toEqual([])
}

interface ErrorJson {
  error: {code: string; message: string; exitCode: number; suggestions: string[]; details?: Record<string, unknown>}
}

describe('tradai credentials: set → list → test → remove (real engine, real ccxt)', () => {
  const box = sandbox()
  const outputs: CliResult[] = []

  it('set reads key and secret from stdin and writes an encrypted 0600 store without the plaintext', async () => {
    const run = await cli(box, ['credentials', 'set', 'binance', '--json'], {input: `${KEY}\n${SECRET}\n`})
    outputs.push(run)
    expect(run.code, run.stderr).toBe(0)
    const result = json<Record<string, unknown>>(run)
    expect(schemaErrors('credentials-set', result)).toEqual([])
    expect(result).toMatchObject({exchange: 'binance', profile: 'default', file: box.store, key: 'trad…WzK3', hasSecret: true, hasPassword: false, created: true})
    expect(statSync(box.store).mode & 0o777).toBe(0o600)
    const bytes = readFileSync(box.store)
    expect(leaks(bytes)).toEqual([])
    expect(JSON.parse(bytes.toString('utf8'))).toMatchObject({format: 'tradai-credentials', kdf: {name: 'scrypt'}, cipher: 'aes-256-gcm'})
  })

  it('a second profile is added to the same store', async () => {
    const run = await cli(box, ['credentials', 'set', 'binance', '--profile', 'demo'], {input: `${KEY}DEMO\n${SECRET}DEMO\n`})
    outputs.push(run)
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toContain('Stored binance (demo)')
  })

  it('list shows both entries masked, never a secret', async () => {
    const run = await cli(box, ['credentials', 'list', '--json'])
    outputs.push(run)
    expect(run.code, run.stderr).toBe(0)
    const result = json<{credentials: Array<Record<string, unknown>>; file: string}>(run)
    expect(schemaErrors('credentials-list', result)).toEqual([])
    expect(result.file).toBe(box.store)
    expect(result.credentials.map((entry) => [entry.exchange, entry.profile, entry.source, entry.key])).toEqual([
      ['binance', 'default', 'file', 'trad…WzK3'],
      ['binance', 'demo', 'file', 'trad…DEMO'],
    ])
    const human = await cli(box, ['credentials', 'list'])
    outputs.push(human)
    expect(human.stdout).toMatch(/binance\s+default\s+file\s+trad…WzK3\s+yes\s+no/)
  })

  it('test (offline) builds a request signed by ccxt and does not send it', async () => {
    const run = await cli(box, ['credentials', 'test', 'binance', '--json'])
    outputs.push(run)
    expect(run.code, run.stderr).toBe(0)
    const result = json<{checks: Array<{check: string; passed: boolean; detail: string}>} & Record<string, unknown>>(run)
    expect(schemaErrors('credentials-test', result)).toEqual([])
    expect(result).toMatchObject({exchange: 'binance', profile: 'default', source: 'file', verified: 'offline', passed: true})
    const signed = result.checks.find((check) => check.check === 'signed-request')
    expect(signed?.passed).toBe(true)
    expect(signed?.detail).toMatch(/GET https:\/\/api\.binance\.com\/api\/v3\/account signed by ccxt's sign\(\).*X-MBX-APIKEY.*signature.*not sent/)
  })

  it('test of a profile that does not exist exits 5 and names the profiles there are', async () => {
    const run = await cli(box, ['credentials', 'test', 'binance', '--profile', 'nope', '--json'])
    outputs.push(run)
    expect(run.code).toBe(5)
    const {error} = json<ErrorJson>(run)
    expect(schemaErrors('error', {error})).toEqual([])
    expect(error.message).toContain('profile "nope"')
    expect(error.details?.available).toEqual(['default', 'demo'])
  })

  it('remove deletes one entry; removing it again exits 5', async () => {
    const run = await cli(box, ['credentials', 'remove', 'binance', '--profile', 'demo', '--json'])
    outputs.push(run)
    expect(run.code, run.stderr).toBe(0)
    const result = json(run)
    expect(schemaErrors('credentials-remove', result)).toEqual([])
    expect(result).toMatchObject({exchange: 'binance', profile: 'demo', removed: true, remaining: 1})
    expect(statSync(box.store).mode & 0o777).toBe(0o600)
    const again = await cli(box, ['credentials', 'remove', 'binance', '--profile', 'demo'])
    outputs.push(again)
    expect(again.code).toBe(5)
    const list = json<{credentials: unknown[]}>(await cli(box, ['credentials', 'list', '--json']))
    expect(list.credentials).toHaveLength(1)
  })

  it('the planted key and secret appear in no output and in no file, the store included', () => {
    expect(outputs.length).toBeGreaterThan(5)
    for (const run of outputs) expectNoLeak(run)
    const files = [box.home, box.cwd, box.tmp].flatMap(filesUnder)
    expect(files).toContain(box.store)
    for (const file of files) expect(leaks(readFileSync(file)), file).toEqual([])
  })
})

describe('tradai credentials: bad input', () => {
  it('a wrong passphrase exits 2 with "cannot decrypt" and nothing about the content', async () => {
    const box = sandbox()
    expect((await cli(box, ['credentials', 'set', 'binance'], {input: `${KEY}\n${SECRET}\n`})).code).toBe(0)
    const before = readFileSync(box.store)
    const run = await cli(box, ['credentials', 'list', '--json'], {env: {TRADAI_CREDENTIALS_PASSPHRASE: 'wrong passphrase'}})
    expect(run.code).toBe(2)
    const {error} = json<ErrorJson>(run)
    expect(error.message).toMatch(/cannot decrypt/i)
    expect(error.message).not.toMatch(/binance/)
    expectNoLeak(run)
    // A set with the wrong passphrase writes nothing either.
    const set = await cli(box, ['credentials', 'set', 'okx'], {input: `${KEY}\n${SECRET}\npassword123\n`, env: {TRADAI_CREDENTIALS_PASSPHRASE: 'wrong passphrase'}})
    expect(set.code).toBe(2)
    expect(readFileSync(box.store).equals(before)).toBe(true)
  })

  it('a truncated store exits 2, says how to recover, and is left exactly as it was by a later set', async () => {
    const box = sandbox()
    expect((await cli(box, ['credentials', 'set', 'binance'], {input: `${KEY}\n${SECRET}\n`})).code).toBe(0)
    const whole = readFileSync(box.store)
    writeFileSync(box.store, whole.subarray(0, Math.floor(whole.length / 2)), {mode: 0o600})
    const truncated = readFileSync(box.store)
    const list = await cli(box, ['credentials', 'list', '--json'])
    expect(list.code).toBe(2)
    const {error} = json<ErrorJson>(list)
    expect(error.code).toBe('CREDENTIALS_CORRUPTED')
    expect(error.message).toContain(box.store)
    expect(error.suggestions.join(' ')).toMatch(/backup|move it aside/)
    const set = await cli(box, ['credentials', 'set', 'binance', '--profile', 'other'], {input: `${KEY}\n${SECRET}\n`})
    expect(set.code).toBe(2)
    expect(readFileSync(box.store).equals(truncated)).toBe(true)
    expect(readdirSync(path.dirname(box.store))).toEqual(['credentials.enc'])
  })

  it('a flipped byte in the ciphertext is reported as damage, not as a wrong passphrase', async () => {
    const box = sandbox()
    expect((await cli(box, ['credentials', 'set', 'binance'], {input: `${KEY}\n${SECRET}\n`})).code).toBe(0)
    const envelope = JSON.parse(readFileSync(box.store, 'utf8')) as {data: string}
    const data = Buffer.from(envelope.data, 'base64')
    data[0] = data[0]! ^ 0xff
    writeFileSync(box.store, JSON.stringify({...envelope, data: data.toString('base64')}))
    const run = await cli(box, ['credentials', 'list', '--json'])
    expect(run.code).toBe(2)
    expect(json<ErrorJson>(run).error.code).toBe('CREDENTIALS_CORRUPTED')
  })

  it('okx without a password exits 2 naming the field, and writes nothing', async () => {
    const box = sandbox()
    const run = await cli(box, ['credentials', 'set', 'okx', '--json'], {input: `${KEY}\n${SECRET}\n`})
    expect(run.code).toBe(2)
    const {error} = json<ErrorJson>(run)
    expect(error.message).toMatch(/okx needs a password/)
    expect(error.details?.field).toBe('password')
    expect(() => statSync(box.store)).toThrow()
    expectNoLeak(run)
  })

  it('an unknown exchange exits 2 and suggests close names', async () => {
    const box = sandbox()
    const run = await cli(box, ['credentials', 'set', 'binanse', '--json'], {input: `${KEY}\n${SECRET}\n`})
    expect(run.code).toBe(2)
    const {error} = json<ErrorJson>(run)
    expect(error.message).toContain("'binanse'")
    expect(error.details?.closest).toContain('binance')
    const test = await cli(box, ['credentials', 'test', 'krakn', '--json'])
    expect(test.code).toBe(2)
    expect(json<ErrorJson>(test).error.details?.closest).toContain('kraken')
  })

  it('data download --profile with an unknown profile exits 5 before anything is downloaded', async () => {
    const box = sandbox()
    expect((await cli(box, ['credentials', 'set', 'binance'], {input: `${KEY}\n${SECRET}\n`})).code).toBe(0)
    const run = await cli(box, [
      'data',
      'download',
      '--pairs',
      'ETH/BTC',
      '--timeframes',
      '5m',
      '--days',
      '1',
      '--user-data-dir',
      path.join(box.cwd, 'user_data'),
      '--profile',
      'live',
      '--json',
    ])
    expect(run.code).toBe(5)
    const {error} = json<ErrorJson>(run)
    expect(error.message).toContain('profile "live"')
    expect(error.details?.available).toEqual(['default'])
  })

  it('no passphrase and no terminal exits 2 and names the variable', async () => {
    const box = sandbox()
    const run = await cli(box, ['credentials', 'set', 'binance', '--json'], {input: `${KEY}\n${SECRET}\n`, env: {TRADAI_CREDENTIALS_PASSPHRASE: ''}})
    expect(run.code).toBe(2)
    expect(json<ErrorJson>(run).error.suggestions.join(' ')).toContain('TRADAI_CREDENTIALS_PASSPHRASE')
  })

  it('environment credentials come first, are listed masked, and test without a store', async () => {
    const box = sandbox()
    const env = {
      TRADAI_EXCHANGE_KRAKEN_KEY: KEY,
      TRADAI_EXCHANGE_KRAKEN_SECRET: Buffer.from(SECRET).toString('base64'),
      FREQTRADE__EXCHANGE__KEY: `${KEY}FT`,
      FREQTRADE__EXCHANGE__SECRET: `${SECRET}FT`,
    }
    const list = await cli(box, ['credentials', 'list', '--json'], {env})
    expect(list.code, list.stderr).toBe(0)
    const result = json<{credentials: Array<Record<string, unknown>>; file: null}>(list)
    expect(schemaErrors('credentials-list', result)).toEqual([])
    expect(result.file).toBeNull()
    expect(result.credentials.map((entry) => [entry.exchange, entry.source, entry.key])).toEqual([
      ['binance', 'env', 'trad…K3FT'],
      ['kraken', 'env', 'trad…WzK3'],
    ])
    const test = await cli(box, ['credentials', 'test', 'kraken', '--json'], {env})
    expect(test.code, test.stderr).toBe(0)
    expect(json(test)).toMatchObject({source: 'env', passed: true})
    expectNoLeak(test)
  })

  it('a secret ccxt cannot sign with fails the offline test with exit 1 and prints the checks', async () => {
    const box = sandbox()
    // kraken's secret is base64: ccxt's sign() refuses this one.
    const env = {TRADAI_EXCHANGE_KRAKEN_KEY: KEY, TRADAI_EXCHANGE_KRAKEN_SECRET: `${SECRET}!`}
    const run = await cli(box, ['credentials', 'test', 'kraken', '--json'], {env})
    expect(run.code).toBe(1)
    const result = json<{passed: boolean; checks: Array<{check: string; passed: boolean}>}>(run)
    expect(schemaErrors('credentials-test', result)).toEqual([])
    expect(result.checks.find((check) => check.check === 'signed-request')?.passed).toBe(false)
    expectNoLeak(run)
  })

  it('--online without a network exits 3 from the reachability probe, before ccxt is asked', async () => {
    const box = sandbox()
    const env = {TRADAI_EXCHANGE_BINANCE_KEY: KEY, TRADAI_EXCHANGE_BINANCE_SECRET: SECRET}
    // Port 9 on loopback is closed: the probe's connect is refused at once.
    const run = await cli(box, ['credentials', 'test', 'binance', '--online', '--api-url', 'http://127.0.0.1:9', '--json'], {env})
    expect(run.code).toBe(3)
    const {error} = json<ErrorJson>(run)
    expect(error.code).toBe('NETWORK')
    expect(error.message).toContain('cannot reach 127.0.0.1')
    expect(error.suggestions.join(' ')).toContain('no --online')
  })
})

/**
 * A fake Binance on 127.0.0.1 that checks requests the way Binance does: the API key header
 * and an HMAC-SHA256 of the query string with the account's secret.
 */
class FakeBinance {
  readonly seen: string[] = []
  private server?: Server

  constructor(private readonly account: {key: string; secret: string}) {}

  async start(): Promise<string> {
    this.server = createServer((request, response) => this.handle(request, response))
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve))
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve))
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', 'http://fake')
    this.seen.push(url.pathname)
    const query = url.search.slice(1)
    const signature = url.searchParams.get('signature') ?? ''
    const signed = query.replace(/&?signature=[^&]*/, '')
    const expected = createHmac('sha256', this.account.secret).update(signed).digest('hex')
    const reply = (status: number, body: unknown) => {
      response.writeHead(status, {'content-type': 'application/json'})
      response.end(JSON.stringify(body))
    }

    if (request.headers['x-mbx-apikey'] !== this.account.key) return reply(401, {code: -2015, msg: 'Invalid API-key, IP, or permissions for action.'})
    if (signature !== expected) return reply(400, {code: -1022, msg: 'Signature for this request is not valid.'})
    if (url.pathname === '/api/v3/account') {
      return reply(200, {
        makerCommission: 10,
        accountType: 'SPOT',
        canTrade: true,
        updateTime: 1_700_000_000_000,
        balances: [
          {asset: 'BTC', free: '0.5', locked: '0.0'},
          {asset: 'ETH', free: '0.0', locked: '0.0'},
        ],
        permissions: ['SPOT'],
      })
    }

    if (url.pathname === '/sapi/v1/account/apiRestrictions') {
      return reply(200, {ipRestrict: false, createTime: 1_700_000_000_000, enableReading: true, enableSpotAndMarginTrading: true, enableWithdrawals: true, enableFutures: false})
    }

    reply(404, {code: -1, msg: `no route ${url.pathname}`})
  }
}

describe('tradai credentials test --online against a fake exchange that checks the HMAC signature', () => {
  const fake = new FakeBinance({key: KEY, secret: SECRET})
  let apiUrl = ''
  beforeAll(async () => {
    apiUrl = await fake.start()
  })
  afterAll(async () => fake.stop())

  it('the right secret passes: balance read, permissions reported, withdrawal rights warned about', async () => {
    const box = sandbox()
    expect((await cli(box, ['credentials', 'set', 'binance'], {input: `${KEY}\n${SECRET}\n`})).code).toBe(0)
    const run = await cli(box, ['credentials', 'test', 'binance', '--online', '--api-url', apiUrl, '--json'])
    expect(run.code, run.stderr).toBe(0)
    const result = json<{checks: Array<{check: string; passed: boolean; detail: string}>; warnings: string[]} & Record<string, unknown>>(run)
    expect(schemaErrors('credentials-test', result)).toEqual([])
    expect(result).toMatchObject({verified: 'online', passed: true})
    expect(result.checks.find((check) => check.check === 'balance')).toMatchObject({passed: true, detail: 'read the balance (1 currencies held)'})
    expect(result.checks.find((check) => check.check === 'permissions')?.detail).toMatch(/withdrawals/)
    expect(result.warnings.join(' ')).toMatch(/can withdraw funds/)
    expect(fake.seen).toEqual(expect.arrayContaining(['/api/v3/account', '/sapi/v1/account/apiRestrictions']))
    expectNoLeak(run)
  })

  it('a wrong secret fails the balance check with exit 1', async () => {
    const box = sandbox()
    const env = {TRADAI_EXCHANGE_BINANCE_KEY: KEY, TRADAI_EXCHANGE_BINANCE_SECRET: `${SECRET}x`}
    const before = fake.seen.length
    const run = await cli(box, ['credentials', 'test', 'binance', '--online', '--api-url', apiUrl, '--json'], {env})
    expect(run.code).toBe(1)
    const result = json<{passed: boolean; checks: Array<{check: string; passed: boolean; detail: string}>}>(run)
    expect(schemaErrors('credentials-test', result)).toEqual([])
    expect(result.passed).toBe(false)
    expect(result.checks.find((check) => check.check === 'balance')).toMatchObject({passed: false})
    expect(result.checks.find((check) => check.check === 'balance')?.detail).toMatch(/AuthenticationError.*Signature/)
    expect(fake.seen.slice(before)).toEqual(['/api/v3/account'])
    expect(run.stderr).toContain('Credentials check failed: balance')
    expectNoLeak(run)
  })
})
