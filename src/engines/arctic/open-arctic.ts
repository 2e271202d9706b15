import path from 'node:path'

import type {TradaiConfig} from '../../core/config/schema.js'
import {arcticUri, type ArcticStore} from '../../core/data/arctic-store.js'
import type {CoreContext} from '../../core/events.js'
import {PythonBridge} from '../python/bridge.js'
import {PYTHON_PACKAGE_DIR} from '../python/engine-env.js'
import {ensurePythonEnv, type OpenEngineOptions} from '../python/open-engine.js'
import {ENGINE_SETUP_STAGES, type PythonEnvSpec} from '../python/setup.js'

export const ARCTIC_LOCK = path.join(PYTHON_PACKAGE_DIR, 'arctic-requirements.lock')

/** The adapter's environment: the engine's setup steps, its own lock (ArcticDB needs pandas<3). */
export const ARCTIC_ENV: PythonEnvSpec = {
  lock: ARCTIC_LOCK,
  stages: ENGINE_SETUP_STAGES.filter((stage) => stage.id !== 'dev').map((stage) =>
    stage.id === 'packages' ? {...stage, title: 'Install ArcticDB (pinned)'} : stage.id === 'verify' ? {...stage, title: 'Verify the ArcticDB adapter'} : stage,
  ),
  async verify(location, request, ctx) {
    const versions = await new PythonBridge(location, request.env, request.cwd, 'tradai_arctic').exec<{packages: Record<string, string | null>}>('versions', {}, ctx)
    return versions.packages
  },
}

/** `.tradai/arctic`, beside the engine's folder. */
export function arcticDir(config: TradaiConfig): string {
  return path.join(path.dirname(config.engine.dir), 'arctic')
}

/** The configured ArcticDB store with its adapter, installed first if needed (stage `arctic-env`). */
export async function openArcticStore(options: OpenEngineOptions, ctx: CoreContext): Promise<ArcticStore> {
  ctx.onEvent({type: 'stage', stage: 'arctic-env', status: 'start'})
  const location = await ensurePythonEnv(ARCTIC_ENV, arcticDir(options.config), options, ctx, {
    what: 'The ArcticDB adapter',
    setup: 'tradai engine setup --with arcticdb',
    installs: 'ArcticDB',
    stage: 'arctic-env',
  })
  ctx.onEvent({type: 'stage', stage: 'arctic-env', status: 'done'})
  return {uri: arcticUri(options.config), symbolTemplate: options.config.data.arcticSymbolTemplate, adapter: new PythonBridge(location, options.env, options.cwd, 'tradai_arctic')}
}

/** Files, not ArcticDB: the ArcticDB stages are marked skipped so a progress tree does not wait for them. */
export function skipArctic(ctx: CoreContext): undefined {
  for (const stage of ['arctic-env', 'arctic']) ctx.onEvent({type: 'stage', stage, status: 'skip', message: 'candles from files'})
  return undefined
}

/** The candle store a run reads from: the ArcticDB store with `data.source: arcticdb`, else none (files). */
export async function openCandleStore(options: OpenEngineOptions, ctx: CoreContext): Promise<ArcticStore | undefined> {
  return options.config.data.source === 'arcticdb' ? openArcticStore(options, ctx) : skipArctic(ctx)
}
