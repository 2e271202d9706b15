import {Args} from '@oclif/core'

import {BaseCommand} from '../../../cli/base-command.js'
import {dataFlagConfig, dataFlags} from '../../../cli/flags.js'
import {renderStrategyConfigEdit} from '../../../cli/output/strategy-config-output.js'
import {editStrategyConfig, STRATEGY_CONFIG_STAGES, strategyConfigTarget, type StrategyConfigEdit} from '../../../core/strategy-config/strategy-config.js'

export default class ConfigStrategyUnset extends BaseCommand<typeof ConfigStrategyUnset> {
  static override summary = "Remove one dotted key from a strategy's configuration (validated, written atomically)."
  static override examples = [
    '<%= config.bin %> config strategy unset SampleRsiStrategy stoploss',
    '<%= config.bin %> config strategy unset SampleRsiStrategy unfilledtimeout.entry --json',
  ]

  static override args = {
    name: Args.string({description: 'Strategy name (metadata name or class name).', required: true}),
    key: Args.string({description: 'Dotted Freqtrade config key.', required: true}),
  }

  static override flags = {'strategy-path': dataFlags['strategy-path'], 'user-data-dir': dataFlags['user-data-dir']}

  async run(): Promise<StrategyConfigEdit> {
    const resolved = await this.resolveConfig(dataFlagConfig(this.flags))
    const {config} = resolved
    // The strategy's file is validated on its own: the project's pairs or a --freqtrade-config do not decide what it may hold.
    const target = strategyConfigTarget(this.args.name, {...resolved, sources: {}}, [])
    const result = await this.runCore(STRATEGY_CONFIG_STAGES.slice(0, 3), async (ctx) =>
      editStrategyConfig(target, this.args.key, undefined, await this.openEngine(config, ctx), ctx),
    )
    if (!this.jsonEnabled()) process.stdout.write(renderStrategyConfigEdit(result))
    return result
  }
}
