import {Flags} from '@oclif/core'

import {BaseCommand} from '../../cli/base-command.js'
import {ARCTIC_ENV, arcticDir} from '../../engines/arctic/open-arctic.js'
import {progressOf} from '../../engines/python/open-engine.js'
import {ENGINE_SETUP_STAGES, setupEngine, setupPythonEnv, type EngineSetupResult} from '../../engines/python/setup.js'

export default class EngineSetup extends BaseCommand<typeof EngineSetup> {
  static override summary = 'Install or repair the Python engine (Freqtrade, Optuna, MLflow), idempotently.'
  static override description =
    'Creates a virtual environment (config engine.dir, default the per-user ~/.local/share/tradai/engine; TRADAI_ENGINE_DIR) and installs the pinned requirements shipped with tradai. Does nothing when the engine is already installed from the same pins. `--with arcticdb` also installs the ArcticDB adapter into its own environment (.tradai/arctic, beside the engine: ArcticDB needs pandas<3), which commands otherwise install on first use.'

  static override examples = ['<%= config.bin %> engine setup', '<%= config.bin %> engine setup --with arcticdb --json']

  static override flags = {
    force: Flags.boolean({description: 'Reinstall from scratch even if the engine is up to date.'}),
    with: Flags.string({description: 'Also install an optional environment: arcticdb (the ArcticDB candle-store adapter).', options: ['arcticdb'], multiple: true}),
    dev: Flags.boolean({description: "Also install the Python suite's tools (pytest, ruff, mypy; python/requirements-dev.lock), for `npm run test:python`."}),
  }

  async run(): Promise<EngineSetupResult & {arcticdb?: EngineSetupResult}> {
    const {config} = await this.resolveConfig()
    const withArctic = this.flags.with?.includes('arcticdb') ?? false
    const stages = [...ENGINE_SETUP_STAGES, ...(withArctic ? [{id: 'arcticdb', title: 'ArcticDB adapter (.tradai/arctic)'}] : [])]
    const request = {basePython: config.engine.python, force: this.flags.force, env: process.env, cwd: process.cwd()}
    const result = await this.runCore<EngineSetupResult & {arcticdb?: EngineSetupResult}>(stages, async (ctx) => {
      const engine = await setupEngine({...request, dir: config.engine.dir, dev: this.flags.dev}, ctx)
      if (!withArctic) return engine
      ctx.onEvent({type: 'stage', stage: 'arcticdb', status: 'start'})
      const arcticdb = await setupPythonEnv(ARCTIC_ENV, {...request, dir: arcticDir(config)}, progressOf(ARCTIC_ENV, 'arcticdb', ctx))
      ctx.onEvent({type: 'stage', stage: 'arcticdb', status: 'done', message: arcticdb.changed ? 'installed' : 'up to date'})
      return {...engine, arcticdb}
    })
    if (!this.jsonEnabled()) {
      for (const env of [result, result.arcticdb].filter((value) => value !== undefined)) {
        process.stdout.write(`${env.changed ? 'Installed' : 'Already up to date'}: ${env.python}\n`)
        for (const [name, version] of Object.entries(env.packages)) process.stdout.write(`  ${name.padEnd(10)} ${version ?? 'missing'}\n`)
      }
    }

    return result
  }
}
