import {describe, expect, it} from 'vitest'

import {loadConfig} from '../../src/core/config/load.js'
import {experimentName} from '../../src/core/tracking/paths.js'
import {runContext} from '../../src/core/tracking/run-context.js'
import {containsSecret, knownSecrets, redactFreqtradeConfig, scrub} from '../../src/core/tracking/secrets.js'
import {tempDir} from '../helpers/paths.js'

/** A full config through the real loader (defaults + these env values), so new schema keys never break this test. */
const config = async (env: Record<string, string>) => (await loadConfig({cwd: tempDir(), env})).config

describe('tracking secrets', () => {
  it('collects the tracking password/token and secret-named env values, not ordinary ones', async () => {
    const secrets = knownSecrets(await config({MLFLOW_TRACKING_PASSWORD: 'pw-123456', MLFLOW_TRACKING_TOKEN: 'tok-abcdef'}), {
      FREQTRADE__EXCHANGE__KEY: 'exchange-key-1',
      BINANCE_API_SECRET: 'binance-secret-1',
      GITHUB_TOKEN: 'ghp_xxxxxxxx',
      HOME: '/root/long-enough',
      CI: 'true',
    })
    expect(secrets.sort()).toEqual(['binance-secret-1', 'exchange-key-1', 'ghp_xxxxxxxx', 'pw-123456', 'tok-abcdef'].sort())
  })

  it("blanks credentials in Freqtrade's config and says whether it did", () => {
    const clean = redactFreqtradeConfig({exchange: {name: 'binance', key: 'k-1', secret: 's-1', pair_whitelist: ['ETH/BTC']}, telegram: {token: 't', chat_id: '42'}})
    expect(clean.redacted).toBe(true)
    expect(clean.config).toEqual({exchange: {name: 'binance', key: '***', secret: '***', pair_whitelist: ['ETH/BTC']}, telegram: {token: '***', chat_id: '***'}})
    expect(redactFreqtradeConfig({exchange: {key: '', secret: ''}}).redacted).toBe(false)
  })

  it('scrubs known secrets from text and finds them in bytes', () => {
    expect(scrub('url with pw-123456 inside', ['pw-123456'])).toBe('url with *** inside')
    expect(containsSecret(Buffer.from('x pw-123456 y'), ['pw-123456'])).toBe(true)
    expect(containsSecret('nothing here', ['pw-123456'])).toBe(false)
  })

  it('tags only allow-listed CI variables', () => {
    const context = runContext({CI: 'true', GITHUB_RUN_ID: '123', GITHUB_TOKEN: 'ghp_secret', USER: 'alice'}, '1.2.3')
    expect(context.ci).toEqual({CI: 'true', GITHUB_RUN_ID: '123'})
    expect(context.user).toBe('alice')
    expect(context.tradaiVersion).toBe('1.2.3')
  })

  it('experiment names: one per strategy, template and prefix configurable', async () => {
    expect(experimentName({experimentName: '{strategy}'}, 'Rsi')).toBe('Rsi')
    expect(experimentName({experimentName: 'bt/{strategy}', experimentPrefix: 'team-'}, 'Rsi')).toBe('team-bt/Rsi')
    await expect(config({TRADAI_EXPERIMENT_NAME: '{user}-{strategy}'})).rejects.toThrow(/only placeholder/)
  })
})
