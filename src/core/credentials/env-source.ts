import {DEFAULT_PROFILE, type ExchangeCredentials, type ResolvedCredential} from './types.js'

/**
 * Credentials from environment variables: what a container's task definition injects (from
 * AWS Secrets Manager) instead of a store file. tradai's own names name the exchange;
 * Freqtrade's `FREQTRADE__EXCHANGE__*` belong to the exchange Freqtrade would use
 * (`FREQTRADE__EXCHANGE__NAME`, else tradai's configured exchange). Env credentials are the
 * `default` profile. The caller passes the environment in: core never reads process.env.
 */
const FIELDS = {key: 'KEY', secret: 'SECRET', password: 'PASSWORD'} as const satisfies Record<keyof ExchangeCredentials, string>
const TRADAI_PATTERN = /^TRADAI_EXCHANGE_([A-Z0-9]+)_(KEY|SECRET|PASSWORD)$/

export function tradaiEnvName(exchange: string, field: keyof ExchangeCredentials): string {
  return `TRADAI_EXCHANGE_${exchange.toUpperCase()}_${FIELDS[field]}`
}

export function freqtradeEnvName(field: keyof ExchangeCredentials): string {
  return `FREQTRADE__EXCHANGE__${FIELDS[field]}`
}

/** Every exchange that has credentials in the environment, tradai's names before Freqtrade's. */
export function envCredentials(env: Record<string, string | undefined>, defaultExchange: string): ResolvedCredential[] {
  const found = new Map<string, ResolvedCredential>()
  const add = (exchange: string, field: keyof ExchangeCredentials, name: string) => {
    const value = env[name]
    if (!value) return
    const entry = found.get(exchange) ?? {exchange, profile: DEFAULT_PROFILE, source: 'env' as const, origin: '', credentials: {}, updatedAt: null}
    // A field set by tradai's variable is not replaced by Freqtrade's.
    if (entry.credentials[field] !== undefined) return
    entry.credentials[field] = value
    entry.origin = [entry.origin, name].filter(Boolean).join(', ')
    found.set(exchange, entry)
  }

  for (const name of Object.keys(env).sort()) {
    const match = TRADAI_PATTERN.exec(name)
    if (match) add(match[1]!.toLowerCase(), fieldOf(match[2]!), name)
  }

  const freqtradeExchange = (env.FREQTRADE__EXCHANGE__NAME || defaultExchange).toLowerCase()
  for (const field of Object.keys(FIELDS) as Array<keyof ExchangeCredentials>) add(freqtradeExchange, field, freqtradeEnvName(field))
  return [...found.values()]
}

function fieldOf(suffix: string): keyof ExchangeCredentials {
  return suffix === 'KEY' ? 'key' : suffix === 'SECRET' ? 'secret' : 'password'
}
