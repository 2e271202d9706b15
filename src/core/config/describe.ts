import {redact} from '../redact.js'
import {describeSource, type ResolvedConfig} from './load.js'
import {SECRET_KEYS} from './schema.js'

export interface ConfigEntry {
  key: string
  value: unknown
  source: string
}

const MASK = '********'

/** Every resolved key with its value and where it came from; secrets masked. */
export function describeConfig(resolved: ResolvedConfig): ConfigEntry[] {
  const entries: ConfigEntry[] = []
  const walk = (value: unknown, prefix: string) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [key, inner] of Object.entries(value)) walk(inner, prefix ? `${prefix}.${key}` : key)
      return
    }

    entries.push({key: prefix, value: SECRET_KEYS.has(prefix) ? MASK : typeof value === 'string' ? redact(value) : value, source: describeSource(resolved.sources[prefix])})
  }

  walk(resolved.config, '')
  return entries
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
