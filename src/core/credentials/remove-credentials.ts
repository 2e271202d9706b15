import {existsSync} from 'node:fs'

import {NotFoundError, UsageError} from '../errors.js'
import {envCredentials} from './env-source.js'
import {readStore, writeStore} from './store.js'
import type {CredentialSources} from './find.js'

export interface RemoveCredentialsResult {
  exchange: string
  profile: string
  file: string
  removed: true
  /** Entries left in the store. */
  remaining: number
}

/** Deletes one entry from the store (rewritten atomically). Environment credentials are not tradai's to remove. */
export async function removeCredentials(exchange: string, profile: string, sources: CredentialSources): Promise<RemoveCredentialsResult> {
  const {store} = sources
  // No file: nothing to unlock, and nothing to remove.
  const passphrase = existsSync(store.file) ? await store.passphrase('unlock') : undefined
  const entries = passphrase === undefined ? [] : ((await readStore(store.file, async () => passphrase)) ?? [])
  const kept = entries.filter((entry) => !(entry.exchange === exchange && entry.profile === profile))
  if (kept.length === entries.length) {
    const fromEnv = envCredentials(sources.env, sources.defaultExchange).find((entry) => entry.exchange === exchange && entry.profile === profile)
    if (fromEnv) {
      throw new UsageError(`The ${exchange} credentials come from the environment (${fromEnv.origin}), not the store.`, {
        suggestions: [`Unset ${fromEnv.origin} to stop using them.`],
      })
    }

    throw new NotFoundError(`No stored credentials for ${exchange} with profile "${profile}" in ${store.file}.`, {
      code: 'CREDENTIALS_NOT_FOUND',
      details: {available: entries.map((entry) => `${entry.exchange} (${entry.profile})`)},
      suggestions: ['`tradai credentials list` shows what is stored.'],
    })
  }

  await writeStore(store.file, kept, passphrase!)
  return {exchange, profile, file: store.file, removed: true, remaining: kept.length}
}
