import {Flags} from '@oclif/core'

import {BaseCommand} from '../../cli/base-command.js'
import {dataFlagConfig, dataFlags} from '../../cli/flags.js'
import {renderDataSample} from '../../cli/output/data-output.js'
import {DATA_SAMPLE_STAGES, SAMPLE_PAIRS, sampleData, type DataSampleResult} from '../../core/data/sample-data.js'

export default class DataSample extends BaseCommand<typeof DataSample> {
  static override summary = 'Write a small, deterministic, SYNTHETIC candle set into user_data for demos and first runs.'
  static override description =
    'Generates candles from a seeded regime-switching random walk (same seed, same files) so a fresh clone can backtest without downloading market data. They are not market prices: a SYNTHETIC-DATA.md beside them says so. Refuses to overwrite candle files that are not an earlier sample.'

  static override examples = [
    '<%= config.bin %> data sample',
    '<%= config.bin %> data sample --pairs ETH/BTC LTC/BTC XLM/BTC --days 60 --seed 7 --user-data-dir examples/user_data',
  ]

  static override flags = {
    pairs: {...dataFlags.pairs, description: `Pairs to generate (default: ${SAMPLE_PAIRS.join(' ')}).`} as typeof dataFlags.pairs,
    timeframe: {...dataFlags.timeframe, description: 'Candle timeframe (default: 5m).'},
    days: Flags.integer({description: 'Days of candles per pair.', default: 30}),
    seed: Flags.integer({description: 'Random seed: the same seed gives the same candles.', default: 42}),
    exchange: {...dataFlags.exchange, description: 'Exchange id, e.g. binance (default: config exchange, binance).'},
    'user-data-dir': dataFlags['user-data-dir'],
  }

  async run(): Promise<DataSampleResult> {
    const {config, sources} = await this.resolveConfig(dataFlagConfig(this.flags))
    // The sample's pairs and timeframe are its own unless asked for: configured trading pairs may not suit synthetic data.
    const pairs = sources.pairs?.kind === 'flag' && config.pairs ? config.pairs : SAMPLE_PAIRS
    const timeframe = sources.timeframe?.kind === 'flag' && config.timeframe ? config.timeframe : '5m'
    const result = await this.runCore(DATA_SAMPLE_STAGES, async (ctx) => {
      const engine = await this.openEngine(config, ctx)
      return sampleData({userDataDir: config.userDataDir, exchange: config.exchange, pairs, timeframe, days: this.flags.days, seed: this.flags.seed}, engine, ctx)
    })
    if (!this.jsonEnabled()) process.stdout.write(renderDataSample(result))
    return result
  }
}
