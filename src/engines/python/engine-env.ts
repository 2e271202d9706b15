import {createHash} from 'node:crypto'
import {existsSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

import type {ExchangeCredentials} from '../../core/credentials/types.js'

/** The folder holding tradai's Python package and pinned requirements (shipped with tradai). */
export const PYTHON_PACKAGE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../python')
export const REQUIREMENTS_LOCK = path.join(PYTHON_PACKAGE_DIR, 'requirements.lock')
/** The installer, pinned: installs the ~130 locked packages in seconds instead of minutes. */
export const UV_VERSION = '0.13.9'
export const MIN_PYTHON: [number, number] = [3, 11]

export interface EngineLocation {
  /** The virtual environment folder. */
  dir: string
  python: string
  stampFile: string
}

export interface EngineStamp {
  lockHash: string
  installedAt: string
  packages: Record<string, string | null>
}

export function engineLocation(dir: string): EngineLocation {
  return {dir, python: path.join(dir, 'bin', 'python'), stampFile: path.join(dir, 'tradai-engine.json')}
}

export function lockHash(lock = REQUIREMENTS_LOCK): string {
  return createHash('sha256').update(readFileSync(lock)).digest('hex').slice(0, 16)
}

export type EngineState = {status: 'ready'; stamp: EngineStamp} | {status: 'missing' | 'stale'; reason: string}

/** Cheap check (no Python started): the venv exists and was installed from the current lock. */
export function engineState(location: EngineLocation, lock = REQUIREMENTS_LOCK): EngineState {
  if (!existsSync(location.python)) return {status: 'missing', reason: `no engine at ${location.dir}`}
  let stamp: EngineStamp
  try {
    stamp = JSON.parse(readFileSync(location.stampFile, 'utf8')) as EngineStamp
  } catch {
    return {status: 'stale', reason: `the engine at ${location.dir} was not completely installed`}
  }

  if (stamp.lockHash !== lockHash(lock)) {
    return {status: 'stale', reason: `the engine at ${location.dir} was installed from other pinned requirements`}
  }

  return {status: 'ready', stamp}
}

export interface BridgeEnvOptions {
  /**
   * The one explicit way exchange keys reach Python: as Freqtrade's own variables, in the
   * environment of the single process whose operation needs them (data download, live shadow).
   */
  exchangeCredentials?: ExchangeCredentials
}

// Credentials the engine must never inherit from tradai's own environment: a strategy runs
// inside the engine and can read it. Keys come in only through `exchangeCredentials`.
const INHERITED_SECRETS = [
  /^TRADAI_EXCHANGE_[A-Z0-9]+_(KEY|SECRET|PASSWORD)$/,
  /^FREQTRADE__EXCHANGE__(KEY|SECRET|PASSWORD|UID)$/,
  /^TRADAI_CREDENTIALS_PASSPHRASE$/,
  /^MLFLOW_TRACKING_(PASSWORD|TOKEN)$/,
]

/** The environment the bridge runs in: tradai's package importable, output unbuffered. */
export function bridgeEnv(base: NodeJS.ProcessEnv, options: BridgeEnvOptions = {}): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(Object.entries(base).filter(([name]) => !INHERITED_SECRETS.some((pattern) => pattern.test(name))))
  const credentials = options.exchangeCredentials
  return {
    ...inherited,
    PYTHONPATH: [PYTHON_PACKAGE_DIR, base.PYTHONPATH].filter(Boolean).join(path.delimiter),
    PYTHONUNBUFFERED: '1',
    PYTHONNOUSERSITE: '1',
    // Empty fields stay unset, so the engine can say which one is missing.
    ...(credentials?.key && {FREQTRADE__EXCHANGE__KEY: credentials.key}),
    ...(credentials?.secret && {FREQTRADE__EXCHANGE__SECRET: credentials.secret}),
    ...(credentials?.password && {FREQTRADE__EXCHANGE__PASSWORD: credentials.password}),
  }
}
