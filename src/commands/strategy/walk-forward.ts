import {Flags} from '@oclif/core'

import {BaseCommand} from '../../cli/base-command.js'
import {candleSourceConfig, candleSourceFlags, dataFlagConfig, dataFlags} from '../../cli/flags.js'
import {renderWalkForward} from '../../cli/output/walk-forward-output.js'
import {dataSettingsFromConfig} from '../../core/backtest/request.js'
import {DEFAULT_LOSS} from '../../core/hyperopt/request.js'
import {studiesDir} from '../../core/hyperopt/study-lock.js'
import {backtestTracking} from '../../core/tracking/track-backtest.js'
import {runTrackedWalkForward} from '../../core/walk-forward/tracked-walk-forward.js'
import {WALK_FORWARD_STAGES, type WalkForwardResult} from '../../core/walk-forward/run-walk-forward.js'
import {mlflowClient} from '../../engines/mlflow/connect.js'

export default class StrategyWalkForward extends BaseCommand<typeof StrategyWalkForward> {
  static override summary = 'Walk-forward analysis: optimize on each train segment, backtest the best params on the test segment after it.'
  static override description =
    'Rolling (or --anchored) windows over the candles: in each, an Optuna hyperopt on the train segment, then Freqtrade backtests of the best parameters on that train segment (in sample) and on the following test segment (out of sample). Test segments never overlap. Reports every window, the out-of-sample equity stitched across windows, the walk-forward efficiency (OOS return per day ÷ IS return per day) and how stable the best parameters are.'

  static override examples = [
    '<%= config.bin %> strategy walk-forward --strategy SampleRsiStrategy --train-days 6 --test-days 3 --epochs 50 --spaces buy sell',
    '<%= config.bin %> strategy walk-forward --strategy SampleRsiStrategy --pairs ETH/BTC --train-days 4 --test-days 2 --windows 2 --epochs 10 --seed 1 --json',
  ]

  static override flags = {
    strategy: Flags.string({char: 's', description: 'Strategy name (or class name).', required: true}),
    'train-days': Flags.integer({description: 'Days in each train (in-sample) segment.', required: true}),
    'test-days': Flags.integer({description: 'Days in each test (out-of-sample) segment.', required: true}),
    windows: Flags.integer({description: 'Number of windows (default: as many as fit).'}),
    anchored: Flags.boolean({description: 'Every train segment starts at the first day (it grows), instead of rolling.'}),
    epochs: Flags.integer({char: 'e', description: 'Optuna trials per window.', required: true}),
    spaces: Flags.string({description: 'Spaces to optimize: buy sell protection (default buy sell).', multiple: true}),
    loss: Flags.string({description: `Freqtrade loss class (default ${DEFAULT_LOSS}).`, default: DEFAULT_LOSS}),
    seed: Flags.integer({description: 'Random seed of the sampler (same seed, same windows, same result).'}),
    jobs: Flags.integer({char: 'j', description: 'Parallel workers for each hyperopt and for the backtests.', default: 1}),
    'min-trades': Flags.integer({description: 'Epochs with fewer trades get the worst loss, as in Freqtrade.', default: 1}),
    'studies-dir': Flags.directory({description: 'Folder of journal-file studies (config studiesDir; default `studies` beside the engine).', env: 'TRADAI_STUDIES_DIR'}),
    ...dataFlags,
    ...candleSourceFlags,
    'output-dir': Flags.directory({description: 'Where runs are kept (default <user-data-dir>/backtest_results/tradai).'}),
    'no-track': Flags.boolean({description: 'Do not record this walk-forward in MLflow (config tracking.enabled, env TRADAI_TRACKING).'}),
  }

  async run(): Promise<WalkForwardResult> {
    const resolved = await this.resolveConfig({
      ...dataFlagConfig(this.flags),
      ...candleSourceConfig(this.flags),
      outputDir: this.flags['output-dir'] === undefined ? undefined : {value: this.flags['output-dir'], flag: '--output-dir'},
    })
    const {config} = resolved
    const spaces = this.flags.spaces?.flatMap((value) => value.split(/[\s,]+/)).filter(Boolean) ?? ['buy', 'sell']
    const result = await this.runCore(WALK_FORWARD_STAGES, async (ctx) => {
      const engine = await this.openEngine(config, ctx)
      return runTrackedWalkForward(
        {
          strategy: this.flags.strategy,
          strategiesDir: config.strategiesDir,
          ...dataSettingsFromConfig(resolved),
          studiesDir: this.flags['studies-dir'] ?? studiesDir(config),
          trainDays: this.flags['train-days'],
          testDays: this.flags['test-days'],
          windows: this.flags.windows,
          anchored: this.flags.anchored,
          epochs: this.flags.epochs,
          spaces,
          loss: this.flags.loss,
          seed: this.flags.seed,
          jobs: this.flags.jobs,
          minTrades: this.flags['min-trades'],
          candleStore: await this.openCandleStore(config, ctx),
        },
        engine,
        {settings: backtestTracking(config, process.env, this.config.version, !this.flags['no-track']), port: mlflowClient(config.tracking, {retries: 2, backoffMs: 150})},
        ctx,
      )
    })
    if (!this.jsonEnabled()) process.stdout.write(renderWalkForward(result))
    return result
  }
}
