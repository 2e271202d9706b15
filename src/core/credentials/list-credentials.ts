import {existsSync} from 'node:fs'

import {envCredentials} from './env-source.js'
import {fromStore, storeEntries, type CredentialSources} from './find.js'
import {maskKey} from './names.js'
import type {CredentialSource, ResolvedCredential} from './types.js'

export interface ListedCredential {
  exchange: string
  profile: string
  source: CredentialSource
  /** Masked: `abcd…wxyz`. */
  key: string | null
  hasSecret: boolean
  hasPassword: boolean
  updatedAt: string | null
  /** False when an environment entry for the same exchange and profile takes precedence. */
  active: boolean
}

export interface ListCredentialsResult {
  credentials: ListedCredential[]
  /** The store file, or null when there is none yet. */
  file: string | null
}

/** Every credential tradai can see, masked: environment first (it wins), then the store. */
export async function listCredentials(sources: CredentialSources): Promise<ListCredentialsResult> {
  const fromEnv = envCredentials(sources.env, sources.defaultExchange)
  const stored = (await storeEntries(sources.store)).map((entry) => fromStore(entry, sources.store.file))
  const shown = (entry: ResolvedCredential, active: boolean): ListedCredential => ({
    exchange: entry.exchange,
    profile: entry.profile,
    source: entry.source,
    key: maskKey(entry.credentials.key),
    hasSecret: Boolean(entry.credentials.secret),
    hasPassword: Boolean(entry.credentials.password),
    updatedAt: entry.updatedAt,
    active,
  })
  const shadowed = (entry: ResolvedCredential) => fromEnv.some((env) => env.exchange === entry.exchange && env.profile === entry.profile)
  const byName = (a: ListedCredential, b: ListedCredential) => a.exchange.localeCompare(b.exchange) || a.profile.localeCompare(b.profile)
  return {
    credentials: [...fromEnv.map((entry) => shown(entry, true)), ...stored.map((entry) => shown(entry, !shadowed(entry)))].sort(byName),
    file: existsSync(sources.store.file) ? sources.store.file : null,
  }
}
