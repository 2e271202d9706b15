import {createHash} from 'node:crypto'
import {existsSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

import type {ExchangeCredentials} from '../../core/credentials/types.js'

/** The folder holding tradai's Python package and pinned requirements (shipped with tradai). */
export const PYTHON_PACKAGE_DIR = shippedPythonDir(path.dirname(fileURLToPath(import.meta.url)))
export const REQUIREMENTS_LOCK = path.join(PYTHON_PACKAGE_DIR, 'requirements.lock')
/** The Python suite's tools (pytest, ruff, mypy), installed by `tradai engine setup --dev`. */
export const REQUIREMENTS_DEV_LOCK = path.join(PYTHON_PACKAGE_DIR, 'requirements-dev.lock')
/** The installer, pinned: installs the ~130 locked packages in seconds instead of minutes. */
export const UV_VERSION = '0.13.9'
export const MIN_PYTHON: [number, number] = [3, 11]

/**
 * The nearest `python/` holding tradai_engine above this module: src/engines/python/ under
 * vitest, dist/chunks/ in the bundle (scripts/bundle.mjs), so no fixed `../` count.
 */
function shippedPythonDir(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'python')
    if (existsSync(path.join(candidate, 'tradai_engine'))) return candidate
    if (path.dirname(dir) === dir) return path.resolve(from, '../../../python')
  }
}

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
  /** Hash of requirements-dev.lock when its tools were installed (`engine setup --dev`). */
  devLockHash?: string
}

export function engineLocation(dir: string): EngineLocation {
  return {dir, python: path.join(dir, 'bin', 'python'), stampFile: path.join(dir, 'tradai-engine.json')}
}

/**
 * How setup installs, mixed into the stamp's hash so an engine installed the old way is rebuilt.
 * 3: packages are byte-compiled at install (uv does not by default, and a machine with
 * PYTHONDONTWRITEBYTECODE=1 then compiles Freqtrade, ccxt and scipy from source on every start:
 * 13 s instead of 2).
 */
const INSTALL_RECIPE = 'recipe-3'

export function lockHash(lock = REQUIREMENTS_LOCK): string {
  return createHash('sha256').update(readFileSync(lock)).update(INSTALL_RECIPE).digest('hex').slice(0, 16)
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

/** What Python, Freqtrade and tradai's engine need from the environment; nothing else passes. */
const ALLOWED_NAMES = new Set(['PATH', 'HOME', 'USER', 'LOGNAME', 'LANG', 'LANGUAGE', 'TZ', 'TMPDIR', 'TMP', 'TEMP', 'TERM', 'SSL_CERT_FILE', 'SSL_CERT_DIR', 'REQUESTS_CA_BUNDLE', 'CURL_CA_BUNDLE'])
const ALLOWED_PREFIXES = ['LC_', 'PYTHON', 'TRADAI_ENGINE', 'OMP_', 'MKL_', 'OPENBLAS_', 'NUMBA_']
/** Proxies pass only without credentials in them (a proxy URL may carry user:password@). */
const PROXY_NAMES = /^(https?_proxy|all_proxy|no_proxy)$/i
const SECRET_LOOKING = /(SECRET|PASSWORD|PASSWD|TOKEN|KEY|CREDENTIAL|AUTH)/i

export interface EngineEnvOptions {
  /**
   * Exchange credentials (e.g. FREQTRADE__EXCHANGE__KEY / __SECRET) for the operations that need
   * them: live shadow trading, data downloads from a private endpoint. Opt-in per bridge
   * (`EngineRunOptions.exchangeCredentials`), passed as Freqtrade's own variables; never
   * inherited from tradai's own environment.
   */
  exchangeCredentials?: ExchangeCredentials
  /** Variables for one call only, passed as given (a shadow bot's API credentials: never in a file). */
  extra?: NodeJS.ProcessEnv
  /** A process meant to outlive tradai (a detached shadow bot): no lifeline to tradai's pid. */
  detached?: boolean
}

/**
 * The ArcticDB adapter runs no strategy code and reads S3 stores with the standard AWS variables:
 * those (and only those) pass to it on top of the allow-list.
 */
export function storeAdapterEnv(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(base).filter(([name]) => name.startsWith('AWS_')))
}

/**
 * The environment the engine (which imports and runs user strategy code) gets: an allow-list of
 * tradai's environment — no MLflow credentials (tracking is done by the TypeScript side), no
 * exchange keys, nothing whose name looks secret — plus tradai's package importable, output
 * unbuffered, and only the credentials the caller explicitly passes.
 */
export function bridgeEnv(base: NodeJS.ProcessEnv, options: EngineEnvOptions = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [name, value] of Object.entries(base)) {
    if (value === undefined) continue
    const allowed = ALLOWED_NAMES.has(name) || ALLOWED_PREFIXES.some((prefix) => name.startsWith(prefix))
    const proxy = PROXY_NAMES.test(name) && !value.includes('@')
    if ((allowed || proxy) && !SECRET_LOOKING.test(name)) env[name] = value
  }

  return {
    ...env,
    // Empty fields stay unset, so the engine can say which one is missing.
    ...(options.exchangeCredentials?.key && {FREQTRADE__EXCHANGE__KEY: options.exchangeCredentials.key}),
    ...(options.exchangeCredentials?.secret && {FREQTRADE__EXCHANGE__SECRET: options.exchangeCredentials.secret}),
    ...(options.exchangeCredentials?.password && {FREQTRADE__EXCHANGE__PASSWORD: options.exchangeCredentials.password}),
    ...options.extra,
    PYTHONPATH: [PYTHON_PACKAGE_DIR, env.PYTHONPATH].filter(Boolean).join(path.delimiter),
    PYTHONUNBUFFERED: '1',
    PYTHONNOUSERSITE: '1',
    // The engine kills its process group when this process disappears (python/tradai_engine/lifeline.py).
    ...(options.detached ? {} : {TRADAI_ENGINE_PARENT_PID: String(process.pid)}),
  }
}
