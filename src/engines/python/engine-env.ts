import {createHash} from 'node:crypto'
import {existsSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

/** The folder holding tradai's Python package and pinned requirements (shipped with tradai). */
export const PYTHON_PACKAGE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../python')
export const REQUIREMENTS_LOCK = path.join(PYTHON_PACKAGE_DIR, 'requirements.lock')
/** The Python suite's tools (pytest, ruff, mypy), installed by `tradai engine setup --dev`. */
export const REQUIREMENTS_DEV_LOCK = path.join(PYTHON_PACKAGE_DIR, 'requirements-dev.lock')
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
  /** Hash of requirements-dev.lock when its tools were installed (`engine setup --dev`). */
  devLockHash?: string
}

export function engineLocation(dir: string): EngineLocation {
  return {dir, python: path.join(dir, 'bin', 'python'), stampFile: path.join(dir, 'tradai-engine.json')}
}

export function lockHash(file: string = REQUIREMENTS_LOCK): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 16)
}

export type EngineState = {status: 'ready'; stamp: EngineStamp} | {status: 'missing' | 'stale'; reason: string}

/** Cheap check (no Python started): the venv exists and was installed from the current lock. */
export function engineState(location: EngineLocation): EngineState {
  if (!existsSync(location.python)) return {status: 'missing', reason: `no engine at ${location.dir}`}
  let stamp: EngineStamp
  try {
    stamp = JSON.parse(readFileSync(location.stampFile, 'utf8')) as EngineStamp
  } catch {
    return {status: 'stale', reason: `the engine at ${location.dir} was not completely installed`}
  }

  if (stamp.lockHash !== lockHash()) {
    return {status: 'stale', reason: `the engine at ${location.dir} was installed from other pinned requirements`}
  }

  return {status: 'ready', stamp}
}

/** The environment the bridge runs in: tradai's package importable, output unbuffered. */
export function bridgeEnv(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return {
    ...base,
    PYTHONPATH: [PYTHON_PACKAGE_DIR, base.PYTHONPATH].filter(Boolean).join(path.delimiter),
    PYTHONUNBUFFERED: '1',
    PYTHONNOUSERSITE: '1',
  }
}
