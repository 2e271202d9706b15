import {engineLocation, engineState, lockHash, REQUIREMENTS_LOCK} from './engine-env.js'

/** The `--json` document of `tradai engine info`. */
export interface EngineInfo {
  dir: string
  python: string
  status: string
  reason?: string
  requirements: string
  lockHash: string
  installedAt: string | null
  packages: Record<string, string | null>
}

/** Where the engine is and what its stamp says, without starting Python. */
export function engineInfo(dir: string): EngineInfo {
  const location = engineLocation(dir)
  const state = engineState(location)
  return {
    dir: location.dir,
    python: location.python,
    status: state.status,
    ...(state.status === 'ready' ? {} : {reason: state.reason}),
    requirements: REQUIREMENTS_LOCK,
    lockHash: lockHash(),
    installedAt: state.status === 'ready' ? state.stamp.installedAt : null,
    packages: state.status === 'ready' ? state.stamp.packages : {},
  }
}
