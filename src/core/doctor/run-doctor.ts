import {existsSync, readdirSync, statSync} from 'node:fs'
import path from 'node:path'

import type {TradaiConfig} from '../config/schema.js'
import type {CoreContext} from '../events.js'

/** What doctor needs from the engine and the tracking server, behind small ports. */
export interface DoctorDeps {
  engineState(): {status: string; reason?: string}
  engineVersions(ctx: CoreContext): Promise<{python: string; pythonVersion: string; packages: Record<string, string | null>}>
  trackingHealth(uri: string, signal: AbortSignal): Promise<{reachable: boolean; detail: string}>
}

export interface DoctorReport {
  ok: boolean
  node: {version: string}
  engine: {
    dir: string
    status: string
    reason?: string
    python: string | null
    pythonVersion: string | null
    freqtrade: string | null
    optuna: string | null
    mlflow: string | null
    packages: Record<string, string | null>
  }
  strategiesDir: {path: string; exists: boolean; files: number}
  userDataDir: {path: string; exists: boolean; candleFiles: number}
  tracking: {uri: string; reachable: boolean; detail: string}
  problems: string[]
}

export const DOCTOR_STAGES = [
  {id: 'engine', title: 'Python engine'},
  {id: 'folders', title: 'Strategies and data'},
  {id: 'tracking', title: 'MLflow tracking server'},
]

/** Checks everything tradai depends on and says what to fix; never fails on a finding. */
export async function runDoctor(config: TradaiConfig, nodeVersion: string, deps: DoctorDeps, ctx: CoreContext): Promise<DoctorReport> {
  const problems: string[] = []

  ctx.onEvent({type: 'stage', stage: 'engine', status: 'start'})
  const state = deps.engineState()
  let versions: Awaited<ReturnType<DoctorDeps['engineVersions']>> | undefined
  if (state.status === 'ready') {
    try {
      versions = await deps.engineVersions(ctx)
    } catch (error) {
      problems.push(`The engine does not start: ${(error as Error).message.split('\n')[0]}. Run \`tradai engine setup --force\`.`)
    }
  } else problems.push(`Python engine: ${state.reason}. Run \`tradai engine setup\`.`)
  ctx.onEvent({type: 'stage', stage: 'engine', status: 'done'})

  ctx.onEvent({type: 'stage', stage: 'folders', status: 'start'})
  const strategyFiles = listFiles(config.strategiesDir).filter((file) => file.endsWith('.py'))
  if (!existsSync(config.strategiesDir)) problems.push(`Strategies folder ${config.strategiesDir} does not exist (config strategiesDir).`)
  const candleFiles = listFiles(path.join(config.userDataDir, 'data'), 3).filter((file) => /\.(feather|json|jsongz|parquet)$/.test(file))
  if (candleFiles.length === 0) {
    problems.push(`No candle files under ${path.join(config.userDataDir, 'data')}. Run \`tradai data import PATH\` or \`tradai data download\`.`)
  }
  ctx.onEvent({type: 'stage', stage: 'folders', status: 'done'})

  ctx.onEvent({type: 'stage', stage: 'tracking', status: 'start'})
  const tracking = await deps.trackingHealth(config.tracking.uri, ctx.signal)
  if (!tracking.reachable) problems.push(`MLflow at ${config.tracking.uri} is not reachable (${tracking.detail}); runs are queued until \`tradai tracking sync\`.`)
  ctx.onEvent({type: 'stage', stage: 'tracking', status: 'done'})

  const packages = versions?.packages ?? {}
  return {
    ok: problems.length === 0,
    node: {version: nodeVersion},
    engine: {
      dir: config.engine.dir,
      status: state.status,
      reason: state.reason,
      python: versions?.python ?? null,
      pythonVersion: versions?.pythonVersion ?? null,
      freqtrade: packages.freqtrade ?? null,
      optuna: packages.optuna ?? null,
      mlflow: packages.mlflow ?? null,
      packages,
    },
    strategiesDir: {path: config.strategiesDir, exists: existsSync(config.strategiesDir), files: strategyFiles.length},
    userDataDir: {path: config.userDataDir, exists: existsSync(config.userDataDir), candleFiles: candleFiles.length},
    tracking: {uri: config.tracking.uri, ...tracking},
    problems,
  }
}

function listFiles(dir: string, depth = 1): string[] {
  if (depth < 0 || !existsSync(dir)) return []
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name)
    // statSync follows links: user_data/data/binance is often a link to a shared candle folder.
    return statSync(full, {throwIfNoEntry: false})?.isDirectory() ? listFiles(full, depth - 1) : [full]
  })
}
