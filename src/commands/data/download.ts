import {Flags} from '@oclif/core'

import {BaseCommand} from '../../cli/base-command.js'
import {credentialSources} from '../../cli/credential-sources.js'
import {dataFlagConfig, dataFlags} from '../../cli/flags.js'
import {renderDataDownload} from '../../cli/output/data-output.js'
import {profileName} from '../../core/credentials/names.js'
import {DATA_DOWNLOAD_STAGES, downloadData, type DataDownloadResult} from '../../core/data/download-data.js'

export default class DataDownload extends BaseCommand<typeof DataDownload> {
  static override summary = "Download candles from the exchange with Freqtrade's download-data."
  static override description =
    "Downloads (or extends) candle files in <user-data-dir>/data/<exchange>/ as feather. The exchange is probed first: without a network the command exits 3 within seconds, not after the exchange client's retries. Offline, use `tradai data import` for candles you have."

  static override examples = [
    '<%= config.bin %> data download --pairs ETH/BTC LTC/BTC --timeframes 5m 1h --days 30',
    '<%= config.bin %> data download --pairs BTC/USDT --timeframes 1h --timerange 20240101-20240201 --exchange kraken',
  ]

  static override flags = {
    pairs: {...dataFlags.pairs, description: 'Pairs to download, e.g. ETH/BTC LTC/BTC (default: config pairs).'} as typeof dataFlags.pairs,
    timeframes: Flags.string({description: 'Timeframes to download, e.g. 5m 1h (default: config timeframe, else 5m).', multiple: true}),
    days: Flags.integer({description: "Download this many days back from now (Freqtrade's default: 30).", exclusive: ['timerange']}),
    timerange: {...dataFlags.timerange, description: 'YYYYMMDD-YYYYMMDD to download; either side may be open.'},
    exchange: {...dataFlags.exchange, description: 'Exchange id, e.g. binance (default: config exchange, binance).'},
    'user-data-dir': dataFlags['user-data-dir'],
    profile: Flags.string({description: 'Sign requests with this stored account (`tradai credentials set EXCHANGE --profile NAME`; "default" for the unnamed one).'}),
  }

  async run(): Promise<DataDownloadResult> {
    const {config} = await this.resolveConfig(dataFlagConfig(this.flags))
    const timeframes = this.flags.timeframes?.flatMap((timeframe) => timeframe.split(',')).filter(Boolean) ?? [config.timeframe ?? '5m']
    // --days replaces a configured timerange; only both as flags is a contradiction (oclif refuses it).
    const timerange = this.flags.days === undefined ? config.timerange : undefined
    const account = this.flags.profile === undefined ? undefined : {profile: profileName(this.flags.profile), sources: credentialSources(config)}
    if (account && process.stdin.isTTY) await account.sources.store.ask()
    const result = await this.runCore(DATA_DOWNLOAD_STAGES, async (ctx) => {
      const engine = await this.openEngine(config, ctx)
      return downloadData(
        {userDataDir: config.userDataDir, exchange: config.exchange, pairs: config.pairs ?? [], timeframes, timerange, days: this.flags.days, account},
        engine,
        ctx,
      )
    })
    if (!this.jsonEnabled()) process.stdout.write(renderDataDownload(result))
    return result
  }
}
