import type {TradaiConfig} from '../config/schema.js'

/** Environment variable names that hold credentials (exchange keys, tokens, passwords). */
const SECRET_NAME = /(SECRET|PASSWORD|PASSWD|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL)|^FREQTRADE__EXCHANGE__(KEY|UID)$/i
/** Shorter values are too likely to occur by chance (a "1", "true") to be worth scrubbing. */
const MIN_SECRET_LENGTH = 6

/**
 * Every credential value tradai can see: the tracking password/token and any environment
 * variable whose name says it is a secret. Nothing holding one of these may reach MLflow.
 */
export function knownSecrets(config: TradaiConfig, env: Record<string, string | undefined>): string[] {
  const values = [config.tracking.password, config.tracking.token]
  for (const [name, value] of Object.entries(env)) if (SECRET_NAME.test(name)) values.push(value)
  return [...new Set(values.filter((value): value is string => typeof value === 'string' && value.length >= MIN_SECRET_LENGTH))]
}

/** Config keys whose values are credentials in Freqtrade's config (exchange, telegram, api_server, ...). */
const SECRET_KEY = /^(key|secret|password|token|uid|api_?key|private_?key|jwt_secret_key|ws_token|chat_id|webhook_?url)$/i

/**
 * Freqtrade's config with every credential blanked: what may be logged as an artifact.
 * Returns whether anything was removed, so the untouched file can be logged byte for byte.
 */
export function redactFreqtradeConfig(config: unknown): {config: unknown; redacted: boolean} {
  let redacted = false
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk)
    if (node === null || typeof node !== 'object') return node
    return Object.fromEntries(
      Object.entries(node as Record<string, unknown>).map(([key, value]) => {
        if (SECRET_KEY.test(key) && value !== '' && value !== null && (typeof value === 'string' || typeof value === 'number')) {
          redacted = true
          return [key, '***']
        }

        return [key, walk(value)]
      }),
    )
  }

  const clean = walk(config)
  return {config: clean, redacted}
}

/** `text` with every known secret replaced: the last guard on params and tags. */
export function scrub(text: string, secrets: string[]): string {
  let clean = text
  for (const secret of secrets) if (clean.includes(secret)) clean = clean.split(secret).join('***')
  return clean
}

export function containsSecret(content: Buffer | string, secrets: string[]): boolean {
  const buffer = typeof content === 'string' ? Buffer.from(content) : content
  return secrets.some((secret) => buffer.includes(secret))
}
