import {existsSync, readFileSync} from 'node:fs'
import {homedir} from 'node:os'
import path from 'node:path'
import type {z} from 'zod'

import {ConfigError} from '../errors.js'
import {applyDerivedDefaults, type ConfigLayer} from './derived.js'
import {findConfigCandidate} from './find-file.js'
import {ENV_VARS, parseEnvValue} from './env.js'
import {configFileSchema, configSchema, DEFAULTS, PATH_KEYS, SECRET_KEYS, type TradaiConfig} from './schema.js'
import {describeSyntaxError} from './syntax-error.js'

export type ConfigSource =
  | {kind: 'default'; /** Why a derived default is what it is ("per-user folder ~/.local/share/tradai"). */ note?: string}
  | {kind: 'file'; path: string}
  | {kind: 'env'; name: string}
  | {kind: 'flag'; name: string}
  /** The URL the server `tradai tracking start` runs serves (its state file). */
  | {kind: 'server'; path: string}

export interface ResolvedConfig {
  config: TradaiConfig
  /** Where each dotted key's value came from. */
  sources: Record<string, ConfigSource>
  /** The config file that was read, if any. */
  file?: string
}

export interface FlagValue {
  value: unknown
  /** The flag as the user typed it, for error messages (`--user-data-dir`). */
  flag: string
}

export interface LoadConfigRequest {
  cwd: string
  env: Record<string, string | undefined>
  /** `--config PATH`: read exactly this file (it must exist) instead of searching. */
  configPath?: string
  /** Flag values by dotted config key; undefined values are ignored. */
  flags?: Record<string, FlagValue | undefined>
  /** The user's home, when HOME is unset (per-user folders); default os.homedir(). */
  homedir?: string
}

/** cosmiconfig's defaults lack tradai.config.{json,yaml,yml}; the README promises them. */
const SEARCH_PLACES = [
  'package.json',
  ...['', '.json', '.yaml', '.yml', '.js', '.ts', '.mjs', '.cjs'].map((ext) => `.tradairc${ext}`),
  ...['json', 'yaml', 'yml', 'js', 'ts', 'mjs', 'cjs'].map((ext) => `tradai.config.${ext}`),
]

type Layer = ConfigLayer

/** Precedence: flag > environment > config file > defaults. */
export async function loadConfig(request: LoadConfigRequest): Promise<ResolvedConfig> {
  const merged: Layer = new Map()
  for (const [key, value] of Object.entries(DEFAULTS)) merged.set(key, {value, source: {kind: 'default'}})

  const file = await readConfigFile(request.cwd, request.configPath)
  if (file) {
    for (const [key, value] of flatten(file.data)) merged.set(key, {value, source: {kind: 'file', path: file.path}})
  }

  for (const [key, names] of Object.entries(ENV_VARS)) {
    const name = names.find((candidate) => request.env[candidate] !== undefined && request.env[candidate] !== '')
    if (name) merged.set(key, {value: parseEnvValue(key, request.env[name]!), source: {kind: 'env', name}})
  }

  for (const [key, flag] of Object.entries(request.flags ?? {})) {
    if (flag && flag.value !== undefined) merged.set(key, {value: flag.value, source: {kind: 'flag', name: flag.flag}})
  }

  for (const key of PATH_KEYS) {
    const entry = merged.get(key)
    if (entry && typeof entry.value === 'string') {
      const base = entry.source.kind === 'file' ? path.dirname(entry.source.path) : request.cwd
      entry.value = path.resolve(base, entry.value)
    }
  }

  applyDerivedDefaults(merged, {cwd: request.cwd, env: request.env, homedir: request.homedir ?? homedir(), configFile: file?.path})

  const parsed = configSchema.safeParse(unflatten(merged))
  if (!parsed.success) throw configIssuesError(parsed.error.issues, merged)
  const sources = Object.fromEntries([...merged].map(([key, {source}]) => [key, source]))
  return {config: parsed.data, sources, file: file?.path}
}

export function describeSource(source: ConfigSource | undefined): string {
  switch (source?.kind) {
    case 'file': {
      return `file ${source.path}`
    }

    case 'env': {
      return `environment variable ${source.name}`
    }

    case 'flag': {
      return `flag ${source.name}`
    }

    case 'server': {
      return `tracking start (${source.path})`
    }

    case 'default': {
      return source.note ? `default (${source.note})` : 'default'
    }

    default: {
      return 'default'
    }
  }
}

async function readConfigFile(cwd: string, configPath?: string): Promise<{path: string; data: unknown} | undefined> {
  // Most runs have no config file, or package.json's "tradai" key: found without cosmiconfig.
  const light = configPath ? undefined : findConfigCandidate(cwd, SEARCH_PLACES, 'tradai')
  if (light?.kind === 'none') return undefined
  const explorer = async () => {
    // CommonJS: its module.exports is the namespace's `default`, natively and in the bundle (where
    // esbuild gives a CommonJS package's import() nothing else).
    const {cosmiconfig} = (await import('cosmiconfig')).default
    return cosmiconfig('tradai', {
      searchStrategy: 'project',
      searchPlaces: SEARCH_PLACES,
      // The TypeScript loader pulls in a compiler: load it only when a .ts config is found.
      loaders: {
        '.ts': async (filepath: string, content: string) => {
          const {TypeScriptLoader} = await import('cosmiconfig-typescript-loader')
          return TypeScriptLoader()(filepath, content)
        },
      },
    })
  }

  let found: {config: unknown; filepath: string; isEmpty?: boolean} | null
  let candidate: string | undefined
  try {
    if (configPath) {
      const absolute = path.resolve(cwd, configPath)
      if (!existsSync(absolute)) {
        throw new ConfigError(`Config file not found: ${absolute}`, {
          suggestions: ['Check the --config path, or run `tradai config init` to create a starter file.'],
        })
      }

      candidate = absolute
      found = await (await explorer()).load(absolute)
    } else if (light?.kind === 'package') {
      found = {config: light.data, filepath: light.path}
    } else if (light?.kind === 'file') {
      candidate = light.path
      found = await (await explorer()).load(light.path)
      // A file whose loader finds nothing in it (only comments) is skipped by a search: search.
      if (!found || found.isEmpty) found = await (await explorer()).search(cwd)
    } else {
      found = await (await explorer()).search(cwd)
    }
  } catch (error) {
    if (error instanceof ConfigError) throw error
    const where = configPath ? path.resolve(cwd, configPath) : ((error as {filepath?: string}).filepath ?? candidate ?? 'the config file')
    // No `cause`: the parser's error holds the file's text (a code frame), and --verbose prints causes.
    throw new ConfigError(`Cannot read the config file: ${describeSyntaxError(where, readText(where), error)}`, {
      suggestions: ['Fix the syntax at that line and column, or run `tradai config validate PATH` to check a file.'],
    })
  }

  if (!found || found.isEmpty) return found ? {path: found.filepath, data: {}} : undefined
  const checked = configFileSchema.safeParse(found.config)
  if (!checked.success) {
    const source: ConfigSource = {kind: 'file', path: found.filepath}
    throw configIssuesError(checked.error.issues, new Map(), source)
  }

  return {path: found.filepath, data: found.config}
}

function configIssuesError(issues: z.core.$ZodIssue[], merged: Layer, fallback?: ConfigSource): ConfigError {
  const lines = issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const parent = issue.path.join('.')
      const keys = issue.keys.map((key) => (parent ? `${parent}.${key}` : key))
      return `unknown key ${keys.map((k) => `"${k}"`).join(', ')} (from ${describeSource(fallback)}); known keys: ${knownKeys(parent).join(', ')}`
    }

    const key = issue.path.join('.')
    // An array element (pairs.0) is reported with the key that holds the array, and its own value.
    const owner = issue.path.map((_, index) => issue.path.slice(0, issue.path.length - index).join('.')).find((prefix) => merged.has(prefix))
    const entry = owner === undefined ? undefined : merged.get(owner)
    const value = entry && owner !== key ? valueAt(entry.value, issue.path.slice(owner!.split('.').length)) : entry?.value
    const shown = entry === undefined ? '' : SECRET_KEYS.has(owner!) ? ' = ********' : ` = ${JSON.stringify(value)}`
    return `"${key}"${shown} (from ${describeSource(entry?.source ?? fallback)}): ${issue.message}`
  })
  return new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`, {
    suggestions: ['Fix the value where it came from; `tradai config show` lists every key and its source.'],
  })
}

function readText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return null
  }
}

function valueAt(value: unknown, rest: PropertyKey[]): unknown {
  return rest.reduce<unknown>((node, part) => (node as Record<PropertyKey, unknown> | undefined)?.[part], value)
}

function knownKeys(parent: string): string[] {
  const shape = parent ? (configSchema.shape as Record<string, {shape?: Record<string, unknown>}>)[parent]?.shape : configSchema.shape
  return Object.keys(shape ?? {})
}

function flatten(value: unknown, prefix = ''): Array<[string, unknown]> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [[prefix, value]]
  return Object.entries(value as Record<string, unknown>).flatMap(([key, inner]) => flatten(inner, prefix ? `${prefix}.${key}` : key))
}

function unflatten(layer: Layer): Record<string, unknown> {
  const root: Record<string, unknown> = {}
  for (const [key, {value}] of layer) {
    const parts = key.split('.')
    let node = root
    for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>
    node[parts.at(-1)!] = value
  }

  return root
}
