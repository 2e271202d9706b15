import type {TradaiConfig} from '../../core/config/schema.js'
import {EngineError} from '../../core/errors.js'
import {inStage, type CoreContext} from '../../core/events.js'
import {PythonBridge} from './bridge.js'
import {engineLocation, engineState, type EngineLocation} from './engine-env.js'
import {installOnce} from './install-lock.js'
import {ENGINE_ENV, setupPythonEnv, type PythonEnvSpec} from './setup.js'

export interface OpenEngineOptions {
  config: TradaiConfig
  env: NodeJS.ProcessEnv
  cwd: string
}

/**
 * The engine for a command that needs it. When it is missing or stale, installs it (with
 * progress, under the `engine` stage) if `engine.autoSetup` allows, else says what to run.
 */
export async function openEngine(options: OpenEngineOptions, ctx: CoreContext): Promise<PythonBridge> {
  return inStage(ctx, 'engine', async () => {
    const location = await ensurePythonEnv(ENGINE_ENV, options.config.engine.dir, options, ctx, {
      what: 'The Python engine',
      setup: 'tradai engine setup',
      installs: 'Freqtrade, Optuna and MLflow',
      stage: 'engine',
    })
    return new PythonBridge(location, options.env, options.cwd)
  })
}

/**
 * A pinned virtual environment, installed first (with progress as lines of `labels.stage`)
 * when it is missing or stale and `engine.autoSetup` allows; else an error saying what to run.
 */
export async function ensurePythonEnv(
  spec: PythonEnvSpec,
  dir: string,
  options: OpenEngineOptions,
  ctx: CoreContext,
  labels: {what: string; setup: string; installs: string; stage: string},
): Promise<EngineLocation> {
  const location = engineLocation(dir)
  const state = engineState(location, spec.lock)
  if (state.status !== 'ready') {
    if (!options.config.engine.autoSetup) {
      throw new EngineError(`${labels.what} is not ready: ${state.reason}.`, {
        suggestions: [`Run \`${labels.setup}\` (it installs ${labels.installs} into that folder).`],
      })
    }

    ctx.onEvent({type: 'log', level: 'warning', message: `${state.reason}; installing it now (${labels.setup})`})
    await installOnce(
      location.dir,
      () => engineState(location, spec.lock).status === 'ready',
      async () => {
        await setupPythonEnv(
          spec,
          {dir: location.dir, basePython: options.config.engine.python, env: options.env, cwd: options.cwd},
          progressOf(spec, labels.stage, ctx),
        )
      },
      ctx,
    )
  }

  return location
}

/** A setup's own stages as progress lines of one stage of the caller's tree. */
export function progressOf(spec: PythonEnvSpec, stage: string, ctx: CoreContext): CoreContext {
  return {
    signal: ctx.signal,
    onEvent(event) {
      if (event.type === 'stage' && event.status === 'start') {
        const title = spec.stages.find((candidate) => candidate.id === event.stage)?.title ?? event.stage
        ctx.onEvent({type: 'progress', stage, current: 0, message: title})
      } else if (event.type === 'log' && event.level !== 'debug') ctx.onEvent(event)
    },
  }
}
