import {existsSync} from 'node:fs'

import type {EnginePort} from '../ports/engine.js'
import {UsageError} from '../errors.js'
import type {CoreContext} from '../events.js'
import {envCredentials} from './env-source.js'
import {maskKey} from './names.js'
import {readStore, writeStore} from './store.js'
import type {CredentialStoreAccess, ExchangeCredentials, StoredCredential} from './types.js'

export interface SetCredentialsRequest {
  exchange: string
  profile: string
  /** As typed or piped: key, secret and (when the exchange has one) password. */
  credentials: Partial<ExchangeCredentials>
  store: CredentialStoreAccess
  env: Record<string, string | undefined>
  defaultExchange: string
  /** The time to record (tests pass a fixed one). */
  now?: Date
}

export interface SetCredentialsResult {
  exchange: string
  profile: string
  file: string
  key: string | null
  hasSecret: boolean
  hasPassword: boolean
  updatedAt: string
  /** True when this call created the store file. */
  created: boolean
  /** Environment variables that take precedence over what was just stored. */
  shadowedBy: string[]
}

export const CREDENTIALS_SET_STAGES = [
  {id: 'engine', title: 'Python engine'},
  {id: 'exchange', title: 'Check what the exchange requires'},
  {id: 'store', title: 'Encrypt and save'},
]

// ccxt's requiredCredentials names -> the field and the stdin line it comes from.
const FIELDS: Record<string, {field: keyof ExchangeCredentials; line: string}> = {
  apiKey: {field: 'key', line: 'first'},
  secret: {field: 'secret', line: 'second'},
  password: {field: 'password', line: 'third'},
}

/** Validates the values against what ccxt says the exchange needs, then writes them encrypted. */
export async function setCredentials(request: SetCredentialsRequest, engine: EnginePort, ctx: CoreContext): Promise<SetCredentialsResult> {
  const {exchange, profile, store} = request
  const credentials = checkedValues(request.credentials)
  ctx.onEvent({type: 'stage', stage: 'exchange', status: 'start'})
  const spec = await engine.run('credentials-spec', {exchange}, ctx)
  requireFields(exchange, spec.required, credentials)
  ctx.onEvent({type: 'stage', stage: 'exchange', status: 'done', message: `${exchange} needs ${spec.required.join(', ')}`})

  ctx.onEvent({type: 'stage', stage: 'store', status: 'start'})
  const created = !existsSync(store.file)
  const passphrase = await store.passphrase(created ? 'create' : 'unlock')
  if (passphrase.length === 0) throw new UsageError('The passphrase is empty.', {suggestions: ['Choose a passphrase; it is never stored.']})
  // An unreadable store (wrong passphrase, damaged) fails here, before anything is written.
  const entries = created ? [] : ((await readStore(store.file, async () => passphrase)) ?? [])
  const updatedAt = (request.now ?? new Date()).toISOString()
  const entry: StoredCredential = {exchange, profile, ...credentials, updatedAt}
  const kept = entries.filter((other) => !(other.exchange === exchange && other.profile === profile))
  await writeStore(store.file, [...kept, entry], passphrase)
  ctx.onEvent({type: 'stage', stage: 'store', status: 'done', message: store.file})

  const shadowedBy =
    profile === 'default'
      ? (envCredentials(request.env, request.defaultExchange)
          .find((e) => e.exchange === exchange)
          ?.origin.split(', ') ?? [])
      : []
  if (shadowedBy.length > 0) {
    ctx.onEvent({
      type: 'log',
      level: 'warning',
      message: `${shadowedBy.join(', ')} ${shadowedBy.length > 1 ? 'are' : 'is'} set and take${shadowedBy.length > 1 ? '' : 's'} precedence over the stored ${exchange} credentials`,
    })
  }

  return {
    exchange,
    profile,
    file: store.file,
    key: maskKey(credentials.key),
    hasSecret: Boolean(credentials.secret),
    hasPassword: Boolean(credentials.password),
    updatedAt,
    created,
    shadowedBy,
  }
}

/** Trims line endings; refuses values with inner whitespace. Never repeats a value. */
function checkedValues(raw: Partial<ExchangeCredentials>): ExchangeCredentials {
  const values: Partial<ExchangeCredentials> = {}
  for (const field of ['key', 'secret', 'password'] as const) {
    const value = raw[field]?.replace(/[\r\n]+$/, '').trim()
    if (!value) continue
    if (/\s/.test(value)) {
      throw new UsageError(`The ${field} contains whitespace; keys and secrets never do.`, {
        suggestions: ['Copy the value again from the exchange, without spaces or line breaks.'],
      })
    }

    values[field] = value
  }

  return values as ExchangeCredentials
}

function requireFields(exchange: string, required: string[], credentials: Partial<ExchangeCredentials>): void {
  const unsupported = required.filter((name) => !(name in FIELDS))
  if (unsupported.length > 0) {
    throw new UsageError(`${exchange} needs ${unsupported.join(', ')}, which tradai credentials cannot store yet (it stores key, secret and password).`, {
      details: {exchange, required},
    })
  }

  for (const name of required) {
    const {field, line} = FIELDS[name]!
    if (!credentials[field]) {
      throw new UsageError(`${exchange} needs a ${field} (ccxt's required credential "${name}"), and none was given.`, {
        details: {exchange, field, required},
        suggestions: [`Give the ${field} on the ${line} line of stdin, or at its prompt.`],
      })
    }
  }

  for (const field of ['key', 'secret'] as const) {
    if (!credentials[field]) throw new UsageError(`No ${field} was given; every exchange account needs one.`, {details: {field}})
  }
}
