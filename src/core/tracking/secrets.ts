import type {TradaiConfig} from '../config/schema.js'
import {redact, secretsFromEnv, urlSecrets, usable} from '../redact.js'

/**
 * Every credential value tradai can see: the tracking password/token and any environment
 * variable whose name says it is a secret. Nothing holding one of these may reach MLflow.
 */
export function knownSecrets(config: TradaiConfig, env: Record<string, string | undefined>): string[] {
  return usable([config.tracking.password, config.tracking.token, ...urlSecrets(config.tracking.uri), ...secretsFromEnv(env)])
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

/** `text` with every known secret and URL user-info replaced: the last guard on params and tags (see ../redact.ts). */
export function scrub(text: string, secrets: string[]): string {
  return redact(text, secrets)
}

export function containsSecret(content: Buffer | string, secrets: string[]): boolean {
  const buffer = typeof content === 'string' ? Buffer.from(content) : content
  return secrets.some((secret) => buffer.includes(secret))
}
