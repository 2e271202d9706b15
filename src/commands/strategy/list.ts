import {BaseCommand} from '../../cli/base-command.js'
import {dataFlagConfig, dataFlags} from '../../cli/flags.js'
import {renderStrategyList} from '../../cli/output/strategy-output.js'
import {listStrategies, STRATEGY_LIST_STAGES, type StrategyListResult} from '../../core/strategy/list-strategies.js'
import {openEngine} from '../../engines/python/open-engine.js'

export default class StrategyList extends BaseCommand<typeof StrategyList> {
  static override summary = 'List the strategies in the strategies folder, with files that fail to load.'
  static override description =
    'Imports every strategy file the way Freqtrade does and lists each strategy class: name, class, base class (TradAIStrategy or IStrategy), metadata and load status. A file that fails to import is listed with status "error", its file and line; the command still exits 0, so one broken file does not hide the others.'

  static override examples = [
    '<%= config.bin %> strategy list',
    '<%= config.bin %> strategy list --strategy-path ./my_strategies --json',
  ]

  static override flags = {
    'strategy-path': dataFlags['strategy-path'],
  }

  async run(): Promise<StrategyListResult> {
    const {config} = await this.resolveConfig(dataFlagConfig(this.flags))
    const result = await this.runCore(STRATEGY_LIST_STAGES, async (ctx) => {
      const engine = await openEngine({config, env: process.env, cwd: process.cwd()}, ctx)
      return listStrategies({strategiesDir: config.strategiesDir}, engine, ctx)
    })
    if (!this.jsonEnabled()) process.stdout.write(renderStrategyList(result))
    return result
  }
}
