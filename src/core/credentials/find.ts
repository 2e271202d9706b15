import {existsSync} from 'node:fs'

import {NotFoundError} from '../errors.js'
import {envCredentials} from './env-source.js'
import {readStore} from './store.js'
import {DEFAULT_PROFILE, type CredentialStoreAccess, type ResolvedCredential, type StoredCredential} from './types.js'

export interface CredentialSources {
  /** The environment the command runs in (passed in: core never reads process.env). */
  env: Record<string, string | undefined>
  /** The exchange Freqtrade's FREQTRADE__EXCHANGE__* belong to unless FREQTRADE__EXCHANGE__NAME says otherwise. */
  defaultExchange: string
  store: CredentialStoreAccess
}

/** The store's entries; [] without a file (then no passphrase is asked). */
export async function storeEntries(store: CredentialStoreAccess): Promise<StoredCredential[]> {
  if (!existsSync(store.file)) return []
  return (await readStore(store.file, async () => store.passphrase('unlock'))) ?? []
}

export function fromStore(entry: StoredCredential, file: string): ResolvedCredential {
  const {exchange, profile, key, secret, password, updatedAt} = entry
  return {exchange, profile, source: 'file', origin: file, credentials: {key, secret, ...(password ? {password} : {})}, updatedAt}
}

/**
 * The credentials for an exchange and profile, environment first, then the store. The
 * environment holds only the `default` profile; a named profile lives in the store.
 */
export async function findCredential(exchange: string, profile: string, sources: CredentialSources): Promise<ResolvedCredential> {
  if (profile === DEFAULT_PROFILE) {
    const fromEnv = envCredentials(sources.env, sources.defaultExchange).find((entry) => entry.exchange === exchange)
    if (fromEnv) return fromEnv
  }

  const entries = await storeEntries(sources.store)
  const entry = entries.find((candidate) => candidate.exchange === exchange && candidate.profile === profile)
  if (entry) return fromStore(entry, sources.store.file)
  const profiles = entries.filter((candidate) => candidate.exchange === exchange).map((candidate) => candidate.profile)
  const what = profile === DEFAULT_PROFILE ? `No credentials for ${exchange}` : `No credentials for ${exchange} with profile "${profile}"`
  throw new NotFoundError(`${what} (looked in the environment and ${sources.store.file}).`, {
    code: 'CREDENTIALS_NOT_FOUND',
    details: {available: profiles},
    suggestions: [
      `Store them with \`tradai credentials set ${exchange}${profile === DEFAULT_PROFILE ? '' : ` --profile ${profile}`}\`, or set TRADAI_EXCHANGE_${exchange.toUpperCase()}_KEY and _SECRET.`,
    ],
  })
}
