import {BaseCommand} from '../../cli/base-command.js'
import {candleSourceConfig, candleSourceFlags, dataFlagConfig, dataFlags} from '../../cli/flags.js'
import {renderArcticList} from '../../cli/output/arctic-output.js'
import {ARCTIC_LIST_STAGES, listArctic, type ArcticListResult} from '../../core/data/arctic-data.js'
import {openArcticStore} from '../../engines/arctic/open-arctic.js'
import {renderDataList} from '../../cli/output/data-output.js'
import {DATA_LIST_STAGES, listData, type DataListResult} from '../../core/data/list-data.js'

export default class DataList extends BaseCommand<typeof DataList> {
  static override summary = 'List the candle files in user_data: pair, timeframe, first and last candle, count, gaps.'
  static override description =
    "Reads every candle file under <user-data-dir>/data/<exchange>/ with Freqtrade's own data handlers (feather, json, json.gz, parquet) and reports its range, candle count, missing candles and the largest gap. Without --exchange (and no exchange configured) every exchange folder is listed."

  static override examples = ['<%= config.bin %> data list', '<%= config.bin %> data list --exchange binance --json']

  static override flags = {
    'user-data-dir': dataFlags['user-data-dir'],
    exchange: {...dataFlags.exchange, description: "Only this exchange's folder (default: the configured exchange, else all)."},
    ...candleSourceFlags,
  }

  async run(): Promise<DataListResult | ArcticListResult> {
    const {config, sources} = await this.resolveConfig({...dataFlagConfig(this.flags), ...candleSourceConfig(this.flags)})
    // tradai's built-in default exchange is no reason to hide other exchanges' candles.
    const exchange = sources.exchange?.kind === 'default' ? undefined : config.exchange
    if (config.data.source === 'arcticdb') {
      const listed = await this.runCore(ARCTIC_LIST_STAGES, async (ctx) =>
        listArctic(exchange && `${exchange}.spot`, await openArcticStore({config, env: process.env, cwd: process.cwd()}, ctx), ctx),
      )
      if (!this.jsonEnabled()) process.stdout.write(renderArcticList(listed))
      return listed
    }

    const result = await this.runCore(DATA_LIST_STAGES, async (ctx) => {
      const engine = await this.openEngine(config, ctx)
      return listData({userDataDir: config.userDataDir, exchange}, engine, ctx)
    })
    if (!this.jsonEnabled()) process.stdout.write(renderDataList(result))
    return result
  }
}
