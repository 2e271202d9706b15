import {Flags} from '@oclif/core'

import {BaseCommand} from '../../cli/base-command.js'
import {dataFlagConfig, dataFlags} from '../../cli/flags.js'
import {renderStrategyList} from '../../cli/output/strategy-output.js'
import {listStrategies, STRATEGY_LIST_STAGES, type StrategyListResult} from '../../core/strategy/list-strategies.js'

export default class StrategyList extends BaseCommand<typeof StrategyList> {
  static override summary = 'List the strategies in the strategies folder, with files that fail to load.'
  static override description =
    'Reads every strategy file\'s source (no Freqtrade import, well under a second) and lists each strategy class: name, class, base class (TradAIStrategy or IStrategy), metadata, timeframe, parameters and load status. A file that does not parse, imports a module that is not installed, has invalid TradAIStrategy metadata, or defines a class Freqtrade\'s loader cannot find by name is listed with status "error", its file and line; a file the source alone cannot describe (a strategy built on another file\'s strategy, non-literal metadata) is imported, and its entry says so (source "import"). --load imports every file the way Freqtrade does. The command still exits 0, so one broken file does not hide the others.'

  static override examples = ['<%= config.bin %> strategy list', '<%= config.bin %> strategy list --strategy-path ./my_strategies --json', '<%= config.bin %> strategy list --load']

  static override flags = {
    'strategy-path': dataFlags['strategy-path'],
    load: Flags.boolean({description: 'Import every strategy file the way Freqtrade does (slow) instead of reading the source.'}),
  }

  async run(): Promise<StrategyListResult> {
    const {config} = await this.resolveConfig(dataFlagConfig(this.flags))
    const result = await this.runCore(STRATEGY_LIST_STAGES, async (ctx) => {
      const engine = await this.openEngine(config, ctx)
      return listStrategies({strategiesDir: config.strategiesDir, load: this.flags.load}, engine, ctx)
    })
    if (!this.jsonEnabled()) process.stdout.write(renderStrategyList(result))
    return result
  }
}
