import {Flags} from '@oclif/core'

import {BaseCommand} from '../../cli/base-command.js'
import {candleSourceConfig, candleSourceFlags, dataFlagConfig, dataFlags} from '../../cli/flags.js'
import {renderArcticSymbols} from '../../cli/output/arctic-output.js'
import {ARCTIC_EXPORT_STAGES, exportFromArctic, type ArcticExportResult} from '../../core/data/arctic-data.js'
import {openArcticStore} from '../../engines/arctic/open-arctic.js'

export default class DataExport extends BaseCommand<typeof DataExport> {
  static override summary = "Export candles from an ArcticDB store into user_data as Freqtrade's feather files."
  static override description =
    'Reads the symbols of the pairs and timeframe (library <exchange>.spot, symbol data.arcticSymbolTemplate, default {pair}-{timeframe} → ETH_BTC-5m), within the timerange if given, and writes <user-data-dir>/data/<exchange>/<PAIR>-<tf>.feather. A futures pair (ETH/USDT:USDT) reads library <exchange>.futures: its candles (ETH_USDT_USDT-5m-futures) and the mark and funding-rate candles its backtest needs (ETH_USDT_USDT-1h-mark, ETH_USDT_USDT-1h-funding_rate), written under <user-data-dir>/data/<exchange>/futures/. A missing library or symbol exits 5 and lists what exists (a missing mark or funding rate names the pair, the candle type and how to get it); a frame with wrong columns or dtypes, or an unsorted or duplicate index, exits 2 naming the symbol.'

  static override examples = [
    '<%= config.bin %> data export --from arcticdb --pairs ETH/BTC LTC/BTC --timeframe 5m',
    '<%= config.bin %> data export --from arcticdb --arctic-uri lmdb:///data/arctic --pairs ETH/BTC --timeframe 5m --timerange 20180110-20180120 --json',
    '<%= config.bin %> data export --from arcticdb --pairs ETH/USDT:USDT --timeframe 5m   # futures: candles, mark and funding rate',
  ]

  static override flags = {
    from: Flags.string({description: 'The store to export from.', options: ['arcticdb'], required: true}),
    pairs: {...dataFlags.pairs, description: 'Pairs to export, e.g. ETH/BTC LTC/BTC (default: config pairs).'} as typeof dataFlags.pairs,
    timeframe: {...dataFlags.timeframe, description: 'Timeframe of the symbols, e.g. 5m (default: config timeframe, else 5m).'},
    timerange: {...dataFlags.timerange, description: 'YYYYMMDD-YYYYMMDD to export; either side may be open (default: everything).'},
    exchange: {...dataFlags.exchange, description: 'Exchange (library <exchange>.spot, <exchange>.futures for futures pairs; default: config exchange, binance).'},
    'user-data-dir': dataFlags['user-data-dir'],
    'arctic-uri': candleSourceFlags['arctic-uri'],
  }

  async run(): Promise<ArcticExportResult> {
    const {config} = await this.resolveConfig({...dataFlagConfig(this.flags), ...candleSourceConfig({'arctic-uri': this.flags['arctic-uri']})})
    const result = await this.runCore(ARCTIC_EXPORT_STAGES, async (ctx) => {
      const store = await openArcticStore({config, env: process.env, cwd: process.cwd()}, ctx)
      return exportFromArctic(
        {userDataDir: config.userDataDir, exchange: config.exchange, pairs: config.pairs ?? [], timeframe: config.timeframe ?? '5m', timerange: config.timerange},
        store,
        ctx,
      )
    })
    if (!this.jsonEnabled()) process.stdout.write(renderArcticSymbols(`Exported from ${result.uri} library ${result.library}:`, result.exported))
    return result
  }
}
