import {readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it, vi} from 'vitest'

import {envCredentials} from '../../src/core/credentials/env-source.js'
import {defaultStoreFile} from '../../src/core/credentials/location.js'
import {maskKey} from '../../src/core/credentials/names.js'
import {readStore, writeStore} from '../../src/core/credentials/store.js'
import type {StoredCredential} from '../../src/core/credentials/types.js'
import {TradaiError} from '../../src/core/errors.js'
import {bridgeEnv} from '../../src/engines/python/engine-env.js'
import {tempDir} from '../helpers/paths.js'

// The rename that replaces the store can be made to fail, to show a failed write leaves the old file.
const failRename = vi.hoisted(() => ({on: false}))
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>()
  return {
    ...actual,
    async rename(from: string, to: string) {
      if (failRename.on) throw Object.assign(new Error('EIO: i/o error, rename'), {code: 'EIO'})
      return actual.rename(from, to)
    },
  }
})

const ENTRY: StoredCredential = {
  exchange: 'okx',
  profile: 'default',
  key: 'unitKeyABCDEFGH1234',
  secret: 'unitSecretXYZ987654321',
  password: 'unitPass1234',
  updatedAt: '2026-01-01T00:00:00.000Z',
}

async function failure(work: Promise<unknown>): Promise<TradaiError> {
  const error = await work.then(
    () => undefined,
    (caught: unknown) => caught,
  )
  expect(error).toBeInstanceOf(TradaiError)
  return error as TradaiError
}

describe('credentials store', () => {
  it('round-trips entries; the file is 0600, fresh salt and nonce each write, no plaintext', async () => {
    const file = path.join(tempDir(), 'nested', 'credentials.enc')
    await writeStore(file, [ENTRY], 'pass phrase')
    const first = JSON.parse(readFileSync(file, 'utf8')) as {kdf: {salt: string}; nonce: string}
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(await readStore(file, async () => 'pass phrase')).toEqual([ENTRY])
    const raw = readFileSync(file, 'utf8')
    for (const value of [ENTRY.key, ENTRY.secret, ENTRY.password!]) expect(raw).not.toContain(value)
    await writeStore(file, [ENTRY], 'pass phrase')
    const second = JSON.parse(readFileSync(file, 'utf8')) as {kdf: {salt: string}; nonce: string}
    expect(second.kdf.salt).not.toBe(first.kdf.salt)
    expect(second.nonce).not.toBe(first.nonce)
    expect(readdirSync(path.dirname(file))).toEqual(['credentials.enc'])
  })

  it('no file: undefined, and the passphrase is not asked', async () => {
    const asked: string[] = []
    expect(await readStore(path.join(tempDir(), 'none.enc'), async () => (asked.push('x'), 'p'))).toBeUndefined()
    expect(asked).toEqual([])
  })

  it('wrong passphrase: CREDENTIALS_DECRYPT, exit 2; damage: CREDENTIALS_CORRUPTED, exit 2', async () => {
    const file = path.join(tempDir(), 'credentials.enc')
    await writeStore(file, [ENTRY], 'right')
    const wrong = await failure(readStore(file, async () => 'wrong'))
    expect([wrong.code, wrong.exitCode]).toEqual(['CREDENTIALS_DECRYPT', 2])
    const envelope = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>
    writeFileSync(file, JSON.stringify({...envelope, tag: Buffer.alloc(16).toString('base64')}))
    const damaged = await failure(readStore(file, async () => 'right'))
    expect([damaged.code, damaged.exitCode]).toEqual(['CREDENTIALS_CORRUPTED', 2])
    writeFileSync(file, '')
    expect((await failure(readStore(file, async () => 'right'))).message).toContain('empty')
  })

  it('a failed write leaves the old store and no temp file', async () => {
    const dir = tempDir()
    const file = path.join(dir, 'credentials.enc')
    await writeStore(file, [ENTRY], 'right')
    const before = readFileSync(file)
    failRename.on = true
    try {
      const error = await failure(writeStore(file, [], 'right'))
      expect([error.code, error.exitCode]).toEqual(['CREDENTIALS_UNWRITABLE', 2])
    } finally {
      failRename.on = false
    }

    expect(readFileSync(file).equals(before)).toBe(true)
    expect(readdirSync(dir)).toEqual(['credentials.enc'])
  })
})

describe('credentials from the environment', () => {
  it("tradai's names per exchange, Freqtrade's for its exchange; tradai's field wins", () => {
    const found = envCredentials(
      {
        TRADAI_EXCHANGE_KRAKEN_KEY: 'k1',
        TRADAI_EXCHANGE_KRAKEN_SECRET: 's1',
        TRADAI_EXCHANGE_BINANCE_KEY: 'k2',
        FREQTRADE__EXCHANGE__KEY: 'k3',
        FREQTRADE__EXCHANGE__SECRET: 's3',
        FREQTRADE__EXCHANGE__PASSWORD: '',
      },
      'binance',
    )
    expect(found.map((entry) => [entry.exchange, entry.credentials, entry.origin])).toEqual([
      ['binance', {key: 'k2', secret: 's3'}, 'TRADAI_EXCHANGE_BINANCE_KEY, FREQTRADE__EXCHANGE__SECRET'],
      ['kraken', {key: 'k1', secret: 's1'}, 'TRADAI_EXCHANGE_KRAKEN_KEY, TRADAI_EXCHANGE_KRAKEN_SECRET'],
    ])
    expect(envCredentials({FREQTRADE__EXCHANGE__NAME: 'OKX', FREQTRADE__EXCHANGE__KEY: 'k'}, 'binance').map((entry) => entry.exchange)).toEqual(['okx'])
  })

  it('masks keys as abcd…wxyz and shows nothing of short ones', () => {
    expect(maskKey('abcdEFGHijklwxyz')).toBe('abcd…wxyz')
    expect(maskKey('short')).toBe('…')
    expect(maskKey(undefined)).toBeNull()
  })

  it('default store place follows XDG_CONFIG_HOME, else ~/.config', () => {
    expect(defaultStoreFile({XDG_CONFIG_HOME: '/x/cfg', HOME: '/h'}, '/fallback')).toBe('/x/cfg/tradai/credentials.enc')
    expect(defaultStoreFile({HOME: '/h'}, '/fallback')).toBe('/h/.config/tradai/credentials.enc')
    expect(defaultStoreFile({XDG_CONFIG_HOME: 'relative'}, '/fallback')).toBe('/fallback/.config/tradai/credentials.enc')
  })
})

describe('bridgeEnv', () => {
  const base = {PATH: '/bin', TRADAI_EXCHANGE_BINANCE_SECRET: 's', FREQTRADE__EXCHANGE__KEY: 'k', MLFLOW_TRACKING_TOKEN: 't', TRADAI_CREDENTIALS_PASSPHRASE: 'p'}

  it('drops inherited credentials', () => {
    const env = bridgeEnv(base)
    expect(env.PATH).toBe('/bin')
    expect(Object.keys(env).filter((name) => name in base && name !== 'PATH')).toEqual([])
  })

  it("adds exchange keys only when asked, as Freqtrade's variables, empty fields unset", () => {
    const env = bridgeEnv(base, {exchangeCredentials: {key: 'K', secret: 'S', password: ''}})
    expect([env.FREQTRADE__EXCHANGE__KEY, env.FREQTRADE__EXCHANGE__SECRET, 'FREQTRADE__EXCHANGE__PASSWORD' in env]).toEqual(['K', 'S', false])
  })
})
