import {createHash, randomBytes} from 'node:crypto'
import {chmod, mkdir, readFile, writeFile} from 'node:fs/promises'
import path from 'node:path'

import {ConfigError} from '../errors.js'

/**
 * The key that signs gate evidence. MLflow never holds it: whoever can write to the tracking
 * server can write tags, runs and artifacts, but cannot produce a valid signature without it.
 */
export interface GateKey {
  /** The secret bytes; never printed, logged or sent anywhere. */
  secret: Buffer
  /** A public fingerprint (first 16 hex of sha256 of the key): says which key signed, reveals nothing. */
  id: string
  source: 'env' | 'file' | 'generated'
  /** The file it came from (file / generated). */
  file: string | null
}

export interface GateKeyRequest {
  /** `TRADAI_GATE_KEY`, as read by the command. */
  envKey?: string
  /** `gates.signingKeyFile` from config. */
  keyFile?: string
  /** The user's tradai config folder ($XDG_CONFIG_HOME/tradai or ~/.config/tradai). */
  configDir: string
  /** Signing commands create the default key on first use; verifying ones never do. */
  create: boolean
}

const MIN_KEY_LENGTH = 16
export const DEFAULT_KEY_FILE = 'gate.key'

/** TRADAI_GATE_KEY, else gates.signingKeyFile, else <configDir>/gate.key (created, mode 0600, when `create`). */
export async function loadGateKey(request: GateKeyRequest): Promise<GateKey | null> {
  if (request.envKey !== undefined && request.envKey !== '') return makeKey(checked(request.envKey.trim(), 'TRADAI_GATE_KEY'), 'env', null)
  if (request.keyFile) {
    let text: string
    try {
      text = await readFile(request.keyFile, 'utf8')
    } catch (error) {
      throw new ConfigError(`Cannot read the gate signing key file ${request.keyFile} (gates.signingKeyFile): ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}.`, {
        suggestions: ['Point gates.signingKeyFile at a readable file, or set TRADAI_GATE_KEY.'],
      })
    }

    return makeKey(checked(text.trim(), request.keyFile), 'file', request.keyFile)
  }

  const file = path.join(request.configDir, DEFAULT_KEY_FILE)
  try {
    return makeKey(checked((await readFile(file, 'utf8')).trim(), file), 'file', file)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }

  if (!request.create) return null
  await mkdir(request.configDir, {recursive: true, mode: 0o700})
  const secret = randomBytes(32).toString('hex')
  try {
    // `wx`: two first uses racing keep the first key.
    await writeFile(file, `${secret}\n`, {mode: 0o600, flag: 'wx'})
    await chmod(file, 0o600)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    return makeKey(checked((await readFile(file, 'utf8')).trim(), file), 'file', file)
  }

  return makeKey(secret, 'generated', file)
}

function checked(text: string, where: string): string {
  if (text.length < MIN_KEY_LENGTH) {
    throw new ConfigError(`The gate signing key from ${where} is too short (${text.length} characters; at least ${MIN_KEY_LENGTH}).`, {
      suggestions: ['Use a long random value, e.g. `openssl rand -hex 32`.'],
    })
  }

  return text
}

function makeKey(text: string, source: GateKey['source'], file: string | null): GateKey {
  const secret = Buffer.from(text, 'utf8')
  return {secret, id: createHash('sha256').update(secret).digest('hex').slice(0, 16), source, file}
}
