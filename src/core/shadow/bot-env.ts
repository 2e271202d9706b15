import {randomBytes} from 'node:crypto'

import {freqtradeEnvName} from '../credentials/env-source.js'
import {findCredential, type CredentialSources} from '../credentials/find.js'
import type {ExchangeCredentials} from '../credentials/types.js'
import {UsageError} from '../errors.js'

/** The bot's REST API login (kept 0600 in the session's api.json: status and stop use it). */
export interface ShadowApiLogin {
  url: string
  username: string
  password: string
}

/** Which stored account a demo session trades with (`tradai credentials`). */
export interface ShadowAccount {
  profile: string
  sources: CredentialSources
}

/**
 * The environment of the bot's process, and only of it: the API's secrets, and on an exchange's
 * demo account its keys, as the FREQTRADE__* variables Freqtrade reads itself
 * (environment_vars.py). Neither the engine request, the session files nor any other engine
 * process carries them (the config written in the session has empty API fields and no keys).
 */
export function shadowBotEnv(api: ShadowApiLogin, exchangeKeys?: ExchangeCredentials): Record<string, string> {
  return {
    FREQTRADE__API_SERVER__USERNAME: api.username,
    FREQTRADE__API_SERVER__PASSWORD: api.password,
    FREQTRADE__API_SERVER__JWT_SECRET_KEY: randomBytes(32).toString('hex'),
    FREQTRADE__API_SERVER__WS_TOKEN: randomBytes(16).toString('hex'),
    ...(exchangeKeys && {
      [freqtradeEnvName('key')]: exchangeKeys.key,
      [freqtradeEnvName('secret')]: exchangeKeys.secret,
      ...(exchangeKeys.password ? {[freqtradeEnvName('password')]: exchangeKeys.password} : {}),
    }),
  }
}

/**
 * The demo account's keys from `tradai credentials` (environment first, then the store, like
 * `credentials test`): NotFoundError (exit 5) saying how to store them, UsageError when a field
 * the exchange needs is empty.
 */
export async function demoKeys(exchange: string, account: ShadowAccount): Promise<ExchangeCredentials> {
  const found = await findCredential(exchange, account.profile, account.sources)
  const {key, secret, password} = found.credentials
  const missing = (['key', 'secret'] as const).filter((field) => !found.credentials[field])
  if (missing.length > 0 || !key || !secret) {
    throw new UsageError(`The ${exchange} credentials (${found.source === 'env' ? found.origin : `profile "${found.profile}"`}) lack ${missing.join(' and ')}.`, {
      suggestions: [`Store the demo account's keys with \`tradai credentials set ${exchange}${account.profile === 'default' ? '' : ` --profile ${account.profile}`}\`.`],
    })
  }

  return {key, secret, ...(password ? {password} : {})}
}
