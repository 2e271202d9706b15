import {Flags} from '@oclif/core'

import {BaseCommand} from '../../cli/base-command.js'
import {candleSourceConfig, candleSourceFlags, dataFlagConfig, dataFlags} from '../../cli/flags.js'
import {renderSweepResult} from '../../cli/output/sweep-output.js'
import {dataSettingsFromConfig} from '../../core/backtest/request.js'
import {parseGrid} from '../../core/sweep/grid.js'
import {runTrackedSweep} from '../../core/sweep/tracked-sweep.js'
import {sweepStudyLocation} from '../../core/sweep/study-sweep.js'
import {SWEEP_STAGES, SWEEP_STUDY_STAGES, validateSortBy, type SweepResult} from '../../core/sweep/run-sweep.js'
import {studiesDir} from '../../core/hyperopt/study-lock.js'
import {backtestTracking} from '../../core/tracking/track-backtest.js'
import {mlflowClient} from '../../engines/mlflow/connect.js'

export default class StrategySweep extends BaseCommand<typeof StrategySweep> {
  static override summary = 'Backtest every point of a parameter grid in a warm engine.'
  static override description =
    "The cartesian product of the --grid axes (the strategy's hyperoptable parameters); each point is a full Freqtrade backtest with exactly the numbers `strategy backtest --param` gives, run in warm engine processes (Freqtrade imported and candles loaded once per job, indicators recomputed per point). Prints the points ranked by --sort-by, the best point and, for two parameters, a heatmap."

  static override examples = [
    '<%= config.bin %> strategy sweep --strategy SampleRsiStrategy --grid buy_rsi=20:40:5 --grid sell_rsi=60,70,80',
    '<%= config.bin %> strategy sweep --strategy SampleRsiStrategy --grid buy_rsi=25,30 --pairs ETH/BTC --timerange 20180115-20180120 --jobs 2 --json',
    '<%= config.bin %> strategy sweep --strategy SampleRsiStrategy --grid buy_rsi=20:40:5 --storage postgresql://tradai:secret@db:5432/studies --study rsi-grid   # workers: tradai hyperopt worker --study rsi-grid --storage ...',
  ]

  static override flags = {
    strategy: Flags.string({char: 's', description: 'Strategy name (or class name).', required: true}),
    grid: Flags.string({description: 'A parameter axis: NAME=V1,V2,... or NAME=LO:HI:STEP (repeatable).', multiple: true, default: []}),
    jobs: Flags.integer({char: 'j', description: 'Warm engine processes backtesting points side by side.', default: 1}),
    'sort-by': Flags.string({description: 'Metric the points are ranked by (drawdowns: lower is better).', default: 'profitTotal'}),
    top: Flags.integer({description: 'Show only the best K points in the table (--json keeps all).'}),
    yes: Flags.boolean({char: 'y', description: 'Run a grid larger than sweep.maxPoints.'}),
    ...dataFlags,
    storage: Flags.string({
      description:
        'Share the sweep through an Optuna study on this PostgreSQL storage (postgresql://USER:PASS@HOST:PORT/DB; or sqlite:////abs/path.db on one machine): `tradai hyperopt worker --study NAME --storage URL` joins it from other processes and machines.',
    }),
    study: Flags.string({
      description:
        'Run the sweep as this Optuna study (created, or resumed when it exists); without --storage a journal file in studiesDir (beside the engine). Default with --storage: the run id.',
    }),
    'studies-dir': Flags.directory({description: 'Folder of journal-file studies (config studiesDir; default `studies` beside the engine).', env: 'TRADAI_STUDIES_DIR'}),
    ...candleSourceFlags,
    'output-dir': Flags.directory({description: 'Where runs are kept (default <user-data-dir>/backtest_results/tradai).'}),
    'no-track': Flags.boolean({description: 'Do not record this sweep in MLflow (config tracking.enabled, env TRADAI_TRACKING).'}),
  }

  async run(): Promise<SweepResult> {
    const resolved = await this.resolveConfig({
      ...dataFlagConfig(this.flags),
      ...candleSourceConfig(this.flags),
      outputDir: this.flags['output-dir'] === undefined ? undefined : {value: this.flags['output-dir'], flag: '--output-dir'},
    })
    const {config} = resolved
    const grid = parseGrid(this.flags.grid)
    const sortBy = validateSortBy(this.flags['sort-by'])
    const study = sweepStudyLocation(this.flags.storage, this.flags.study, this.flags['studies-dir'] ?? studiesDir(config))
    const result = await this.runCore(study ? SWEEP_STUDY_STAGES : SWEEP_STAGES, async (ctx) => {
      const engine = await this.openEngine(config, ctx)
      return runTrackedSweep(
        {
          strategy: this.flags.strategy,
          strategiesDir: config.strategiesDir,
          ...dataSettingsFromConfig(resolved),
          grid,
          jobs: this.flags.jobs,
          sortBy,
          maxPoints: config.sweep.maxPoints,
          confirmed: this.flags.yes,
          ...(study ? {study} : {}),
          candleStore: await this.openCandleStore(config, ctx),
        },
        engine,
        {settings: backtestTracking(config, process.env, this.config.version, !this.flags['no-track']), port: mlflowClient(config.tracking, {retries: 2, backoffMs: 150})},
        ctx,
      )
    })
    if (!this.jsonEnabled()) process.stdout.write(renderSweepResult(result, this.flags.top))
    return result
  }
}
