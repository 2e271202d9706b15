import {Flags} from '@oclif/core'

import {BaseCommand} from '../../cli/base-command.js'
import {candleSourceConfig, candleSourceFlags, dataFlagConfig, dataFlags, freqtradeConfigFiles, strictDataConfig, strictDataFlags, timeoutFlag} from '../../cli/flags.js'
import {renderBacktestReport} from '../../cli/output/backtest-report.js'
import {dataSettingsFromConfig, parseParams} from '../../core/backtest/request.js'
import {BACKTEST_STAGES, type BacktestResult} from '../../core/backtest/run-backtest.js'
import {backtestTracking, runTrackedBacktest} from '../../core/tracking/track-backtest.js'
import {mlflowClient} from '../../engines/mlflow/connect.js'
import {engineTimeLimit, timeLimited} from '../../core/engine-timeout.js'

/** A backtest already succeeded: give a dead server ~0.5 s of retries, then queue the run. */
const BACKTEST_TRACKING_RETRIES = {retries: 2, backoffMs: 150}

export default class StrategyBacktest extends BaseCommand<typeof StrategyBacktest> {
  static override summary = 'Backtest a strategy with Freqtrade, offline, on local candles.'
  static override description =
    "Builds the Freqtrade config from tradai config, the strategy metadata and these flags, runs Freqtrade's backtesting with exchange markets supplied offline, and reports Freqtrade's own numbers. Each run keeps its result, config and strategy source under the output folder by run id. Before it runs, the candles the strategy needs are checked: the main pairs and timeframe, and every informative pair/timeframe (informative_pairs() and @informative); missing ones exit 5 naming pair, timeframe and the download command, or warn under --allow-missing-informative. Freqtrade's own warnings are shown as warnings (and listed under \"warnings\" in --json)."

  static override examples = [
    '<%= config.bin %> strategy backtest --strategy SampleRsiStrategy',
    '<%= config.bin %> strategy backtest --strategy SampleRsiStrategy --pairs ETH/BTC LTC/BTC --timerange 20180115-20180125 --param buy_rsi=28 --json',
  ]

  static override flags = {
    timeout: timeoutFlag,
    strategy: Flags.string({char: 's', description: 'Strategy name (or class name).', required: true}),
    ...dataFlags,
    ...candleSourceFlags,
    ...strictDataFlags,
    param: Flags.string({description: 'Override a strategy parameter for this run: name=value (repeatable).', multiple: true}),
    'output-dir': Flags.directory({description: 'Where runs are kept (default <user-data-dir>/backtest_results/tradai).'}),
    'no-track': Flags.boolean({description: 'Do not record this run in MLflow (config tracking.enabled, env TRADAI_TRACKING).'}),
    'allow-missing-informative': Flags.boolean({description: "Run even when the strategy's informative pairs/timeframes have no candles (a warning each, instead of exit 5)."}),
  }

  async run(): Promise<BacktestResult> {
    const resolved = await this.resolveConfig({
      ...dataFlagConfig(this.flags),
      ...candleSourceConfig(this.flags),
      ...strictDataConfig(this.flags),
      outputDir: this.flags['output-dir'] === undefined ? undefined : {value: this.flags['output-dir'], flag: '--output-dir'},
    })
    const {config} = resolved
    const params = parseParams(this.flags.param ?? [])
    const result = await this.runCore(BACKTEST_STAGES, async (ctx) => {
      const engine = timeLimited(await this.openEngine(config, ctx), engineTimeLimit('The backtest', this.flags.timeout, config.engine.timeoutSeconds, 3600))
      const candleStore = await this.openCandleStore(config, ctx)
      return runTrackedBacktest(
        {
          strategy: this.flags.strategy,
          strategiesDir: config.strategiesDir,
          ...dataSettingsFromConfig(resolved, freqtradeConfigFiles(this.flags)),
          params,
          allowMissingInformative: this.flags['allow-missing-informative'],
          candleStore,
        },
        engine,
        {settings: backtestTracking(config, process.env, this.config.version, !this.flags['no-track']), port: mlflowClient(config.tracking, BACKTEST_TRACKING_RETRIES)},
        ctx,
      )
    })
    if (!this.jsonEnabled()) process.stdout.write(renderBacktestReport(result))
    return result
  }
}
