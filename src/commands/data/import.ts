import {Args, Flags} from '@oclif/core'
import path from 'node:path'

import {BaseCommand} from '../../cli/base-command.js'
import {candleSourceConfig, candleSourceFlags, dataFlagConfig, dataFlags} from '../../cli/flags.js'
import {renderArcticSymbols} from '../../cli/output/arctic-output.js'
import {ARCTIC_IMPORT_STAGES, importToArctic, type ArcticImportResult} from '../../core/data/arctic-data.js'
import {openArcticStore} from '../../engines/arctic/open-arctic.js'
import {renderDataImport} from '../../cli/output/data-output.js'
import {DATA_IMPORT_STAGES, importData, validateImportRequest, type DataImportResult} from '../../core/data/import-data.js'

export default class DataImport extends BaseCommand<typeof DataImport> {
  static override summary = 'Import candle files (csv, json, feather, parquet) into the user_data layout.'
  static override description =
    "Each file needs columns date, open, high, low, close, volume (Freqtrade's json lists of [ms, o, h, l, c, v] work too); dates may be ISO or epoch seconds/milliseconds, UTC. The pair and timeframe come from the file name (ETH_BTC-5m.csv) unless --pair/--timeframe say otherwise; Freqtrade's futures files keep their candle type (ETH_USDT_USDT-5m-futures, -1h-mark, -1h-funding_rate: funding rates as date, funding_rate) and go to <user-data-dir>/data/<exchange>/futures/, or with --to arcticdb to library <exchange>.futures. Every file is checked before anything is written: missing columns, unsorted or duplicate timestamps, candles off the timeframe grid or non-numeric prices exit 2 naming the file, row and problem. Files are written as feather to <user-data-dir>/data/<exchange>/."

  static override examples = [
    '<%= config.bin %> data import ./ETH_BTC-5m.csv ./LTC_BTC-5m.parquet',
    '<%= config.bin %> data import ./candles.json --pair ETH/BTC --timeframe 1h --exchange kraken',
    '<%= config.bin %> data import user_data/data/binance/futures --to arcticdb   # futures, mark and funding-rate files',
  ]

  // Any number of paths: `data import a.csv b.json dir/`.
  static override strict = false
  static override args = {
    path: Args.string({description: 'Candle files, or folders holding them (one level).', required: true}),
  }

  static override flags = {
    pair: Flags.string({description: 'The pair of the file(s), e.g. ETH/BTC (default: read from each file name).'}),
    timeframe: {...dataFlags.timeframe, description: 'The timeframe of the file(s), e.g. 5m (default: read from each file name).'},
    exchange: {...dataFlags.exchange, description: 'Exchange folder to import into (default: config exchange, binance).'},
    'user-data-dir': dataFlags['user-data-dir'],
    to: Flags.string({description: 'Write into user_data files (default) or an ArcticDB store, as new symbol versions.', options: ['files', 'arcticdb'], default: 'files'}),
    'arctic-uri': candleSourceFlags['arctic-uri'],
  }

  async run(): Promise<DataImportResult | ArcticImportResult> {
    const {argv} = await this.parse(DataImport)
    // Only where the files go comes from config: their pair and timeframe are the files' own.
    const {config} = await this.resolveConfig({
      ...dataFlagConfig({'user-data-dir': this.flags['user-data-dir'], exchange: this.flags.exchange}),
      ...candleSourceConfig({'arctic-uri': this.flags['arctic-uri']}),
    })
    const paths = (argv as string[]).map((file) => path.resolve(file))
    validateImportRequest({paths, pair: this.flags.pair, timeframe: this.flags.timeframe})
    if (this.flags.to === 'arcticdb') {
      const written = await this.runCore(ARCTIC_IMPORT_STAGES, async (ctx) => {
        const engine = await this.openEngine(config, ctx)
        const store = await openArcticStore({config, env: process.env, cwd: process.cwd()}, ctx)
        return importToArctic({paths, exchange: config.exchange, pair: this.flags.pair, timeframe: this.flags.timeframe}, engine, store, ctx)
      })
      if (!this.jsonEnabled()) process.stdout.write(renderArcticSymbols(`Wrote to ${written.uri} library ${written.library}:`, written.written))
      return written
    }

    const result = await this.runCore(DATA_IMPORT_STAGES, async (ctx) => {
      const engine = await this.openEngine(config, ctx)
      return importData({paths, userDataDir: config.userDataDir, exchange: config.exchange, pair: this.flags.pair, timeframe: this.flags.timeframe}, engine, ctx)
    })
    if (!this.jsonEnabled()) process.stdout.write(renderDataImport(result))
    return result
  }
}
