import type {EnginePort} from '../ports/engine.js'
import {NotFoundError} from '../errors.js'
import type {CoreContext} from '../events.js'
import {findCredential, type CredentialSources} from './find.js'
import type {CredentialSource} from './types.js'

export interface CredentialCheck {
  check: string
  passed: boolean
  detail: string
}

export interface TestCredentialsRequest {
  exchange: string
  profile: string
  /** One read-only private call (the balance) and the key's permissions, instead of a locally signed request. */
  online: boolean
  /** Send to this API origin instead of the exchange's (a testnet, a proxy, a test double). */
  apiUrl?: string
}

export interface TestCredentialsResult {
  exchange: string
  profile: string
  source: CredentialSource
  verified: 'offline' | 'online'
  passed: boolean
  checks: CredentialCheck[]
  warnings: string[]
}

export const CREDENTIALS_TEST_STAGES = [
  {id: 'engine', title: 'Python engine'},
  {id: 'probe', title: 'Reach the exchange'},
  {id: 'online', title: 'Read the balance and permissions'},
]

/**
 * Checks credentials with ccxt in the engine. The keys travel only as the environment of that
 * one engine process; the checks it returns carry no value of them.
 */
export async function testCredentials(request: TestCredentialsRequest, sources: CredentialSources, engine: EnginePort, ctx: CoreContext): Promise<TestCredentialsResult> {
  const found = await findCredential(request.exchange, request.profile, sources).catch(async (error: unknown) => {
    // No credentials for a name ccxt does not know: say so (exit 2, close names), not "not found".
    if (error instanceof NotFoundError) await engine.run('credentials-spec', {exchange: request.exchange}, ctx)
    throw error
  })
  const {key = '', secret = '', password} = found.credentials
  const outcome = await engine.run('credentials-test', {exchange: request.exchange, online: request.online, apiUrl: request.apiUrl ?? null}, ctx, {
    exchangeCredentials: {key, secret, ...(password ? {password} : {})},
  })
  return {
    exchange: request.exchange,
    profile: request.profile,
    source: found.source,
    verified: outcome.verified,
    passed: outcome.checks.every((check) => check.passed),
    checks: outcome.checks,
    warnings: outcome.warnings,
  }
}
