import {BaseCommand} from '../../../cli/base-command.js'
import {dataFlagConfig, dataFlags} from '../../../cli/flags.js'
import {renderTable} from '../../../cli/output/table.js'
import {listStrategyConfigs, STRATEGY_CONFIG_STAGES, type StrategyConfigList} from '../../../core/strategy-config/strategy-config.js'

export default class ConfigStrategyList extends BaseCommand<typeof ConfigStrategyList> {
  static override summary = 'List the strategies that have a configuration (<strategy file stem>.config.json beside the strategy).'
  static override examples = ['<%= config.bin %> config strategy list', '<%= config.bin %> config strategy list --json']
  static override flags = {'strategy-path': dataFlags['strategy-path']}

  async run(): Promise<StrategyConfigList> {
    const {config} = await this.resolveConfig(dataFlagConfig(this.flags))
    const result = await this.runCore(STRATEGY_CONFIG_STAGES.slice(0, 2), async (ctx) => listStrategyConfigs(config.strategiesDir, await this.openEngine(config, ctx), ctx))
    if (!this.jsonEnabled()) {
      process.stdout.write(
        result.strategies.length === 0
          ? `No strategy in ${result.strategiesDir} has a configuration; create one with \`tradai config strategy set NAME KEY VALUE\`.\n`
          : `${renderTable(result.strategies, [
              {header: 'Strategy', value: (entry) => entry.name},
              {header: 'Configuration', value: (entry) => entry.configFile},
              {header: 'Keys', value: (entry) => String(entry.keys), align: 'right'},
            ])}\n`,
      )
    }

    return result
  }
}
