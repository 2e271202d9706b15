import {Args} from '@oclif/core'

import {BaseCommand} from '../../../cli/base-command.js'
import {dataFlagConfig, dataFlags, freqtradeConfigFiles} from '../../../cli/flags.js'
import {renderTable} from '../../../cli/output/table.js'
import {showStrategyConfig, STRATEGY_CONFIG_STAGES, strategyConfigTarget, type StrategyConfigShow} from '../../../core/strategy-config/strategy-config.js'

export default class ConfigStrategyShow extends BaseCommand<typeof ConfigStrategyShow> {
  static override summary = 'Show the effective Freqtrade config a run of NAME would use, each key with its source (secrets masked).'
  static override description =
    "Precedence, highest first: flags > environment > --freqtrade-config files (in order) > the strategy's configuration (<stem>.config.json) > project config > strategy metadata > tradai defaults. Takes the same data flags as `strategy backtest`, so it shows exactly the config.json that backtest would write."

  static override examples = [
    '<%= config.bin %> config strategy show SampleRsiStrategy',
    '<%= config.bin %> config strategy show SampleRsiStrategy --freqtrade-config my-freqtrade.json --pairs ETH/BTC --json',
  ]

  static override args = {name: Args.string({description: 'Strategy name (metadata name or class name).', required: true})}
  static override flags = {...dataFlags}

  async run(): Promise<StrategyConfigShow> {
    const resolved = await this.resolveConfig(dataFlagConfig(this.flags))
    const {config} = resolved
    const result = await this.runCore(STRATEGY_CONFIG_STAGES.slice(0, 3), async (ctx) =>
      showStrategyConfig(strategyConfigTarget(this.args.name, resolved, freqtradeConfigFiles(this.flags)), await this.openEngine(config, ctx), ctx),
    )
    if (!this.jsonEnabled()) {
      process.stdout.write(`${result.strategy.name} (${result.strategy.file})\nConfiguration: ${result.exists ? result.configFile : `${result.configFile} (none yet)`}\n`)
      for (const file of result.files) process.stdout.write(`Reads: ${file.file} (${file.role})\n`)
      process.stdout.write(`Precedence: ${result.precedence.join(' > ')}\n\n`)
      process.stdout.write(
        `${renderTable(result.entries, [
          {header: 'Key', value: (entry) => entry.key},
          {header: 'Value', value: (entry) => (typeof entry.value === 'string' ? entry.value : JSON.stringify(entry.value))},
          {header: 'From', value: (entry) => entry.source},
        ])}\n`,
      )
    }

    return result
  }
}
