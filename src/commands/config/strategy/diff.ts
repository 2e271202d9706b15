import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../../cli/base-command.js'
import {dataFlagConfig, dataFlags} from '../../../cli/flags.js'
import {renderTable} from '../../../cli/output/table.js'
import {diffStrategyConfig, STRATEGY_CONFIG_STAGES, type StrategyConfigDiff} from '../../../core/strategy-config/strategy-config.js'
import {showStrategy} from '../../../core/strategy/show-strategy.js'
import {mlflowClient} from '../../../engines/mlflow/connect.js'

export default class ConfigStrategyDiff extends BaseCommand<typeof ConfigStrategyDiff> {
  static override summary = "Compare a strategy's working configuration with the one registered with a version (MLflow registry)."
  static override examples = ['<%= config.bin %> config strategy diff SampleRsiStrategy --version 1', '<%= config.bin %> config strategy diff SampleRsiStrategy --version 2 --json']
  static override args = {name: Args.string({description: 'Strategy name (metadata name or class name).', required: true})}
  static override flags = {
    version: Flags.integer({description: 'Registered version to compare with.', required: true, min: 1}),
    'strategy-path': dataFlags['strategy-path'],
  }

  async run(): Promise<StrategyConfigDiff> {
    const {config} = await this.resolveConfig(dataFlagConfig(this.flags))
    const result = await this.runCore([...STRATEGY_CONFIG_STAGES.slice(0, 1), {id: 'strategy', title: 'Load the strategy'}, STRATEGY_CONFIG_STAGES[3]!], async (ctx) => {
      const engine = await this.openEngine(config, ctx)
      const strategy = await showStrategy({strategiesDir: config.strategiesDir, name: this.args.name}, engine, ctx)
      return diffStrategyConfig({model: strategy.name, version: this.flags.version, strategyFile: strategy.file}, mlflowClient(config.tracking), ctx)
    })
    if (!this.jsonEnabled()) {
      process.stdout.write(
        result.identical
          ? `${result.configFile} matches the configuration registered with ${result.strategy} v${result.version}.\n`
          : `${renderTable(result.changes, [
              {header: 'Key', value: (entry) => entry.key},
              {header: 'Change', value: (entry) => entry.change},
              {header: `v${result.version}`, value: (entry) => JSON.stringify(entry.registered)},
              {header: 'Working copy', value: (entry) => JSON.stringify(entry.working)},
            ])}\n`,
      )
    }

    return result
  }
}
