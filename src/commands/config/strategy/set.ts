import {Args} from '@oclif/core'

import {BaseCommand} from '../../../cli/base-command.js'
import {dataFlagConfig, dataFlags} from '../../../cli/flags.js'
import {renderStrategyConfigEdit} from '../../../cli/output/strategy-config-output.js'
import {editStrategyConfig, STRATEGY_CONFIG_STAGES, strategyConfigTarget, type StrategyConfigEdit} from '../../../core/strategy-config/strategy-config.js'

export default class ConfigStrategySet extends BaseCommand<typeof ConfigStrategySet> {
  static override summary = "Set one key of a strategy's configuration (a Freqtrade config fragment), validated before it is written."
  static override description =
    "KEY is a dotted Freqtrade config key (stoploss, unfilledtimeout.entry, exchange.pair_whitelist); VALUE is parsed as JSON (numbers, true/false, objects, lists), else taken as text. The new configuration is checked with Freqtrade's own schema first (exit 2 names the key and what is allowed) and written atomically to <strategy file stem>.config.json beside the strategy. Credentials are refused: use `tradai credentials`."

  static override examples = [
    '<%= config.bin %> config strategy set SampleRsiStrategy stoploss -0.05',
    '<%= config.bin %> config strategy set SampleRsiStrategy minimal_roi \'{"0": 0.03, "30": 0.01}\'',
    '<%= config.bin %> config strategy set SampleRsiStrategy exchange.pair_whitelist \'["ETH/BTC","LTC/BTC"]\' --json',
  ]

  static override args = {
    name: Args.string({description: 'Strategy name (metadata name or class name).', required: true}),
    key: Args.string({description: 'Dotted Freqtrade config key.', required: true}),
    value: Args.string({description: 'The value, as JSON (or plain text for a string).', required: true}),
  }

  static override flags = {'strategy-path': dataFlags['strategy-path'], 'user-data-dir': dataFlags['user-data-dir']}

  async run(): Promise<StrategyConfigEdit> {
    const resolved = await this.resolveConfig(dataFlagConfig(this.flags))
    const {config} = resolved
    // The strategy's file is validated on its own: the project's pairs or a --freqtrade-config do not decide what it may hold.
    const target = strategyConfigTarget(this.args.name, {...resolved, sources: {}}, [])
    const result = await this.runCore(STRATEGY_CONFIG_STAGES.slice(0, 3), async (ctx) =>
      editStrategyConfig(target, this.args.key, this.args.value, await this.openEngine(config, ctx), ctx),
    )
    if (!this.jsonEnabled()) process.stdout.write(renderStrategyConfigEdit(result))
    return result
  }
}
