import type {TradaiConfig} from '../../core/config/schema.js'
import {EngineError} from '../../core/errors.js'
import {inStage, type CoreContext} from '../../core/events.js'
import {PythonBridge} from './bridge.js'
import {engineLocation, engineState} from './engine-env.js'
import {ENGINE_SETUP_STAGES, setupEngine} from './setup.js'

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
  const location = engineLocation(options.config.engine.dir)
  return inStage(ctx, 'engine', async () => {
    const state = engineState(location)
    if (state.status !== 'ready') {
      if (!options.config.engine.autoSetup) {
        throw new EngineError(`The Python engine is not ready: ${state.reason}.`, {
          suggestions: ['Run `tradai engine setup` (it installs Freqtrade, Optuna and MLflow into that folder).'],
        })
      }

      ctx.onEvent({type: 'log', level: 'warning', message: `${state.reason}; installing it now (tradai engine setup)`})
      await setupEngine(
        {dir: location.dir, basePython: options.config.engine.python, env: options.env, cwd: options.cwd},
        // Setup's own stages become progress lines of the `engine` stage.
        {
          signal: ctx.signal,
          onEvent(event) {
            if (event.type === 'stage' && event.status === 'start') {
              const title = ENGINE_SETUP_STAGES.find((stage) => stage.id === event.stage)?.title ?? event.stage
              ctx.onEvent({type: 'progress', stage: 'engine', current: 0, message: title})
            } else if (event.type === 'log' && event.level !== 'debug') ctx.onEvent(event)
          },
        },
      )
    }

    return new PythonBridge(location, options.env, options.cwd)
  })
}
