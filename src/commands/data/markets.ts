import {BaseCommand} from '../../cli/base-command.js'
import {dataFlagConfig, dataFlags} from '../../cli/flags.js'
import {renderMarkets} from '../../cli/output/data-output.js'
import {MARKETS_STAGES, saveMarkets, type MarketsResult} from '../../core/data/save-markets.js'

export default class DataMarkets extends BaseCommand<typeof DataMarkets> {
  static override summary = "Save the exchange's markets for offline backtests."
  static override description =
    "Freqtrade loads the exchange's markets over the network at start; tradai backtests use this snapshot (<user-data-dir>/markets/<exchange>.json) instead, else spot markets synthesized for the requested pairs. Without a network the command exits 3 within seconds."

  static override examples = ['<%= config.bin %> data markets', '<%= config.bin %> data markets --exchange kraken --json']

  static override flags = {
    exchange: {...dataFlags.exchange, description: 'Exchange id, e.g. binance (default: config exchange, binance).'},
    'user-data-dir': dataFlags['user-data-dir'],
  }

  async run(): Promise<MarketsResult> {
    const {config} = await this.resolveConfig(dataFlagConfig(this.flags))
    const result = await this.runCore(MARKETS_STAGES, async (ctx) => {
      const engine = await this.openEngine(config, ctx)
      return saveMarkets({userDataDir: config.userDataDir, exchange: config.exchange}, engine, ctx)
    })
    if (!this.jsonEnabled()) process.stdout.write(renderMarkets(result))
    return result
  }
}
