import {readFile, rename, writeFile} from 'node:fs/promises'
import path from 'node:path'

import {ConfigError} from '../errors.js'

/** A strategy's configuration: a Freqtrade config fragment in `<strategy file stem>.config.json` beside the strategy. */
export type Fragment = Record<string, unknown>

export const STRATEGY_CONFIG_SUFFIX = '.config.json'

export function strategyConfigFile(strategyFile: string): string {
  return path.join(path.dirname(strategyFile), `${path.basename(strategyFile, path.extname(strategyFile))}${STRATEGY_CONFIG_SUFFIX}`)
}

/** The fragment in `file`, {} when there is none; a file tradai cannot edit is a ConfigError naming it. */
export async function readFragment(file: string): Promise<Fragment | null> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }

  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    // The message only: the file's text around the error may hold a secret.
    throw new ConfigError(`${file} is not plain JSON (${(error as Error).message}); tradai edits plain JSON strategy configurations.`, {
      suggestions: ['Fix the file, or remove comments and trailing commas from it.'],
    })
  }

  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ConfigError(`${file} must hold a JSON object (a Freqtrade config fragment).`)
  return value as Fragment
}

/** Writes the fragment through a temporary file and a rename: a reader never sees half a file. */
export async function writeFragment(file: string, fragment: Fragment): Promise<void> {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`)
  await writeFile(temporary, `${JSON.stringify(fragment, null, 2)}\n`)
  await rename(temporary, file)
}

/** `set NAME KEY VALUE`: the value as JSON (numbers, booleans, objects, lists), else the text itself. */
export function parseValue(raw: string): unknown {
  try {
    return JSON.parse(raw)
  } catch {
    return raw
  }
}

/** Dotted leaf keys and values (a list is a leaf), as the engine's config sources name them. */
export function leaves(value: unknown, prefix = ''): Array<[string, unknown]> {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || Object.keys(value).length === 0) return prefix ? [[prefix, value]] : []
  return Object.entries(value).flatMap(([key, child]) => leaves(child, prefix ? `${prefix}.${key}` : key))
}

/** Freqtrade's sensitive keys (freqtrade.configuration.config_secrets) by their last part: masked in diffs. */
const SECRET_LEAF =
  /^(key|api_?key|apiKey|secret|password|uid|account_?id|accountId|wallet_?address|walletAddress|private_?key|privateKey|token|chat_id|webhook_url|url|jwt_secret_key|ws_token)$/

export function maskLeaf(key: string, value: unknown): unknown {
  return SECRET_LEAF.test(key.split('.').at(-1)!) && value !== '' && value !== null && value !== undefined ? '***' : value
}
