import {Args} from '@oclif/core'

import {BaseCommand} from '../../cli/base-command.js'
import {dataFlagConfig, dataFlags} from '../../cli/flags.js'
import {gateKey} from '../../cli/gate-key.js'
import {renderRegister} from '../../cli/output/lifecycle-output.js'
import {maskedConfig} from '../../core/config/describe.js'
import {REGISTER_STAGES, registerStrategy, type RegisterResult} from '../../core/registry/register.js'
import {actorName} from '../../core/registry/tags.js'
import {runContext} from '../../core/tracking/run-context.js'
import {knownSecrets} from '../../core/tracking/secrets.js'
import {mlflowClient} from '../../engines/mlflow/connect.js'

export default class StrategyRegister extends BaseCommand<typeof StrategyRegister> {
  static override summary = "Register a strategy in MLflow's model registry (lint must pass)."
  static override description =
    "Lints the strategy (any error: exit 1, nothing registered), then logs its code, params file, the resolved config and the lint report as artifacts of a run, and creates a version of the strategy's registered model (one model per strategy) tagged state=registered, code hash (sha256 of the strategy and params files), git commit and metadata version. Registering unchanged code again returns the existing version. Exit 4 when the registry fails, 5 for an unknown strategy."

  static override examples = ['<%= config.bin %> strategy register SampleRsiStrategy', '<%= config.bin %> strategy register SampleRsiStrategy --json']

  static override args = {
    name: Args.string({description: 'Strategy name (metadata name or class name).', required: true}),
  }

  static override flags = {
    'strategy-path': dataFlags['strategy-path'],
    'user-data-dir': dataFlags['user-data-dir'],
  }

  async run(): Promise<RegisterResult> {
    const resolved = await this.resolveConfig(dataFlagConfig(this.flags))
    const {config} = resolved
    const context = runContext(process.env, this.config.version)
    const key = (await gateKey(config, process.env, {create: true}))!
    const result = await this.runCore(REGISTER_STAGES, async (ctx) => {
      const engine = await this.openEngine(config, ctx)
      return registerStrategy(
        {
          name: this.args.name,
          strategiesDir: config.strategiesDir,
          userDataDir: config.userDataDir,
          experiment: config.tracking,
          context: {...context, user: actorName(process.env, context.user)},
          secrets: knownSecrets(config, process.env),
          config: maskedConfig(resolved),
          gateKey: key,
        },
        engine,
        mlflowClient(config.tracking),
        ctx,
      )
    })
    if (!this.jsonEnabled()) process.stdout.write(renderRegister(result))
    return result
  }
}
