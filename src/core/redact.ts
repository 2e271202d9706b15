/**
 * The one redaction function of tradai: every output path (stdout, stderr, --json, errors, logs,
 * MLflow params and tags) passes text through `redact`, which removes the user-info of every URL
 * and every known secret value. Keep new redaction rules here, not beside an output.
 */

/** Environment variable names that hold credentials (exchange keys, tokens, passwords, the gate key). */
export const SECRET_NAME = /(SECRET|PASSWORD|PASSWD|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL|GATE_KEY)|^FREQTRADE__EXCHANGE__(KEY|UID)$/i
/** Shorter values are too likely to occur by chance (a "1", "true") to be worth scrubbing. */
export const MIN_SECRET_LENGTH = 6
export const MASK = '***'

// scheme://user[:password]@ — the user-info part of any URL in free text.
const URL_USER_INFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"'<>]+@/gi

/** The URL with its user-info (user name and password) replaced by `***`. */
export function redactUrl(url: string): string {
  return url.replace(URL_USER_INFO, `$1${MASK}@`)
}

/** `text` with every URL's user-info and every known secret value replaced by `***`. */
export function redact(text: string, secrets: readonly string[] = []): string {
  let clean = text.replace(URL_USER_INFO, `$1${MASK}@`)
  for (const secret of secrets) if (secret && clean.includes(secret)) clean = clean.split(secret).join(MASK)
  return clean
}

/** Every string inside a JSON-like value redacted (for documents printed under --json). */
export function redactDeep<T>(value: T, secrets: readonly string[] = []): T {
  if (typeof value === 'string') return redact(value, secrets) as T
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, secrets)) as T
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([key, inner]) => [key, redactDeep(inner, secrets)])) as T
}

/** Credential values in an environment: variables whose names say they are secrets, and URL passwords. */
export function secretsFromEnv(env: Record<string, string | undefined>): string[] {
  const values: Array<string | undefined> = []
  for (const [name, value] of Object.entries(env)) {
    if (SECRET_NAME.test(name)) values.push(value)
    else if (value && /:\/\/[^\s/@]+@/.test(value)) values.push(...urlSecrets(value))
  }

  return usable(values)
}

/** The password (and user name) held in a URL's user-info. */
export function urlSecrets(url: string): string[] {
  try {
    const parsed = new URL(url)
    return usable([parsed.password && decodeURIComponent(parsed.password), parsed.password])
  } catch {
    return []
  }
}

export function usable(values: Array<string | undefined | null | false>): string[] {
  return [...new Set(values.filter((value): value is string => typeof value === 'string' && value.length >= MIN_SECRET_LENGTH))]
}
