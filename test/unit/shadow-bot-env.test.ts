import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {writeStore} from '../../src/core/credentials/store.js'
import {TradaiError} from '../../src/core/errors.js'
import {demoKeys, shadowBotEnv} from '../../src/core/shadow/bot-env.js'
import {bridgeEnv} from '../../src/engines/python/engine-env.js'
import {tempDir} from '../helpers/paths.js'

const API = {url: 'http://127.0.0.1:1', username: 'tradai-abcd', password: 'api-password-123'}
const KEYS = {key: 'demoKeyABCDEFGH1234', secret: 'demoSecretXYZ987654321', password: 'demoPass1234'}

describe("a shadow bot's environment", () => {
  it("a demo account's keys go to the bot's environment as Freqtrade's variables, beside the API's secrets", () => {
    const env = shadowBotEnv(API, KEYS)
    expect(env).toMatchObject({
      FREQTRADE__EXCHANGE__KEY: KEYS.key,
      FREQTRADE__EXCHANGE__SECRET: KEYS.secret,
      FREQTRADE__EXCHANGE__PASSWORD: KEYS.password,
      FREQTRADE__API_SERVER__USERNAME: API.username,
      FREQTRADE__API_SERVER__PASSWORD: API.password,
    })
    expect(env.FREQTRADE__API_SERVER__JWT_SECRET_KEY).toMatch(/^[0-9a-f]{64}$/)
    // The bridge passes them to that one process as given...
    expect(bridgeEnv({PATH: '/usr/bin'}, {extra: env})).toMatchObject({FREQTRADE__EXCHANGE__KEY: KEYS.key, FREQTRADE__EXCHANGE__SECRET: KEYS.secret})
    // ...and no other engine process inherits them from tradai's own environment.
    const other = bridgeEnv({PATH: '/usr/bin', ...env, TRADAI_EXCHANGE_BYBIT_KEY: KEYS.key})
    expect(JSON.stringify(other)).not.toContain(KEYS.key)
    expect(JSON.stringify(other)).not.toContain(KEYS.secret)
  })

  it('without a demo account: no exchange key at all (a dry run on public data)', () => {
    const env = shadowBotEnv(API)
    expect(Object.keys(env).filter((name) => name.startsWith('FREQTRADE__EXCHANGE__'))).toEqual([])
    expect(shadowBotEnv(API, {key: 'k1234567890', secret: 's1234567890'})).not.toHaveProperty('FREQTRADE__EXCHANGE__PASSWORD')
  })

  it('demo keys come from the store (or the environment); none: exit 5 saying how to store them', async () => {
    const file = path.join(tempDir(), 'credentials.enc')
    const store = {file, passphrase: async () => 'pass phrase'}
    const missing = await demoKeys('bybit', {profile: 'default', sources: {env: {}, defaultExchange: 'bybit', store}}).catch((error: unknown) => error)
    expect(missing).toBeInstanceOf(TradaiError)
    expect(missing).toMatchObject({exitCode: 5, suggestions: [expect.stringContaining('tradai credentials set bybit')]})

    await writeStore(file, [{exchange: 'bybit', profile: 'demo', ...KEYS, updatedAt: '2026-12-01T00:00:00.000Z'}], 'pass phrase')
    expect(await demoKeys('bybit', {profile: 'demo', sources: {env: {}, defaultExchange: 'bybit', store}})).toEqual(KEYS)
    const named = await demoKeys('bybit', {profile: 'other', sources: {env: {}, defaultExchange: 'bybit', store}}).catch((error: unknown) => error)
    expect(named).toMatchObject({exitCode: 5, suggestions: [expect.stringContaining('tradai credentials set bybit --profile other')]})

    const fromEnv = {TRADAI_EXCHANGE_BYBIT_KEY: 'envKeyABCDEFGH1234', TRADAI_EXCHANGE_BYBIT_SECRET: 'envSecretXYZ98765'}
    expect(await demoKeys('bybit', {profile: 'default', sources: {env: fromEnv, defaultExchange: 'binance', store}})).toEqual({
      key: fromEnv.TRADAI_EXCHANGE_BYBIT_KEY,
      secret: fromEnv.TRADAI_EXCHANGE_BYBIT_SECRET,
    })
    const half = await demoKeys('bybit', {profile: 'default', sources: {env: {TRADAI_EXCHANGE_BYBIT_KEY: 'envKeyABCDEFGH1234'}, defaultExchange: 'binance', store}}).catch(
      (error: unknown) => error,
    )
    expect(half).toMatchObject({exitCode: 2, message: expect.stringContaining('lack secret')})
  })
})
