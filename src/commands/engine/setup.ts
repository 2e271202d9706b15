import {Flags} from '@oclif/core'

import {BaseCommand} from '../../cli/base-command.js'
import {ENGINE_SETUP_STAGES, setupEngine, type EngineSetupResult} from '../../engines/python/setup.js'

export default class EngineSetup extends BaseCommand<typeof EngineSetup> {
  static override summary = 'Install or repair the Python engine (Freqtrade, Optuna, MLflow), idempotently.'
  static override description =
    'Creates a virtual environment (config engine.dir, default .tradai/engine; TRADAI_ENGINE_DIR) and installs the pinned requirements shipped with tradai. Does nothing when the engine is already installed from the same pins.'

  static override flags = {
    force: Flags.boolean({description: 'Reinstall from scratch even if the engine is up to date.'}),
    dev: Flags.boolean({description: "Also install the Python suite's tools (pytest, ruff, mypy; python/requirements-dev.lock), for `npm run test:python`."}),
  }

  async run(): Promise<EngineSetupResult> {
    const {config} = await this.resolveConfig()
    const result = await this.runCore(ENGINE_SETUP_STAGES, (ctx) =>
      setupEngine({dir: config.engine.dir, basePython: config.engine.python, force: this.flags.force, dev: this.flags.dev, env: process.env, cwd: process.cwd()}, ctx),
    )
    if (!this.jsonEnabled()) {
      process.stdout.write(`${result.changed ? 'Installed' : 'Already up to date'}: ${result.python}\n`)
      for (const [name, version] of Object.entries(result.packages)) process.stdout.write(`  ${name.padEnd(10)} ${version ?? 'missing'}\n`)
    }

    return result
  }
}
