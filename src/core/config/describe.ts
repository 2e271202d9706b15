import {redact} from '../redact.js'
import {configKeys} from './keys.js'
import {describeSource, type ResolvedConfig} from './load.js'
import {SECRET_KEYS} from './schema.js'

export interface ConfigEntry {
  key: string
  /** null when the key is not set (the command that reads it derives its value). */
  value: unknown
  /** "default" (with why, for derived folders), "file PATH", "environment variable NAME", "flag --NAME", "tracking start (FILE)", or "not set". */
  source: string
  sourceKind: 'default' | 'file' | 'env' | 'flag' | 'server' | 'unset'
}

const MASK = '********'

/** Every key of the config schema (set or not, in schema order) with its value and where it came from; secrets masked. */
export function describeConfig(resolved: ResolvedConfig): ConfigEntry[] {
  const values = new Map<string, unknown>()
  const walk = (value: unknown, prefix: string) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [key, inner] of Object.entries(value)) walk(inner, prefix ? `${prefix}.${key}` : key)
      return
    }

    values.set(prefix, value)
  }

  walk(resolved.config, '')
  const known = configKeys()
  // An object-valued key set as a whole (challenge.monteCarlo: {}) still lists its leaves; keys beyond the schema cannot pass it.
  const keys = [...known, ...[...values.keys()].filter((key) => !known.includes(key))]
  return keys.map((key) => {
    if (!values.has(key) || values.get(key) === undefined) return {key, value: null, source: 'not set', sourceKind: 'unset'}
    const value = values.get(key)
    const source = resolved.sources[key]
    return {
      key,
      value: SECRET_KEYS.has(key) ? MASK : typeof value === 'string' ? redact(value) : value,
      source: describeSource(source),
      sourceKind: source?.kind ?? 'default',
    }
  })
}

/** The config with secrets masked, for anything that leaves the process. */
export function maskedConfig(resolved: ResolvedConfig): Record<string, unknown> {
  const copy = structuredClone(resolved.config) as unknown as Record<string, Record<string, unknown>>
  if (typeof copy.tracking?.uri === 'string') copy.tracking.uri = redact(copy.tracking.uri)
  for (const key of SECRET_KEYS) {
    const [section, name] = key.split('.') as [string, string]
    if (copy[section]?.[name] !== undefined) copy[section][name] = MASK
  }

  return copy
}
