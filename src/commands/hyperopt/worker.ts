import {Flags} from '@oclif/core'
import path from 'node:path'

import {BaseCommand} from '../../cli/base-command.js'
import {candleSourceConfig, candleSourceFlags} from '../../cli/flags.js'
import {renderHyperoptResult} from '../../cli/output/hyperopt-output.js'
import {renderSweepResult} from '../../cli/output/sweep-output.js'
import type {HyperoptResult} from '../../core/hyperopt/result.js'
import {HYPEROPT_STAGES} from '../../core/hyperopt/run-hyperopt.js'
import {runStudyWorker} from '../../core/hyperopt/run-worker.js'
import type {SweepResult} from '../../core/sweep/run-sweep.js'
import {studiesDir} from '../../core/hyperopt/study-lock.js'
import {hyperoptTracking, trackHyperopt} from '../../core/hyperopt/track-hyperopt.js'
import {mlflowClient} from '../../engines/mlflow/connect.js'
import {studyFlags} from './run.js'

export default class HyperoptWorker extends BaseCommand<typeof HyperoptWorker> {
  static override summary = 'Join an existing Optuna study and add trials to it (one of many workers on a shared storage).'
  static override description =
    "The study (created by `tradai hyperopt run`) says what is optimized: strategy, spaces, loss, objectives, pairs, timerange. This machine needs the strategy folder and the candles: its user_data files, or with --data-source arcticdb the study's pairs and range read from the ArcticDB store into the worker's run folder. Start as many workers as you like, on as many machines, against one PostgreSQL --storage: trial numbers are unique across them. On a sweep's study (`tradai strategy sweep --storage URL --study NAME`) the worker backtests grid points the sweep has not started (each point runs once, whoever takes it; --epochs does not apply) and prints the whole sweep when every point is done."

  static override examples = [
    '<%= config.bin %> hyperopt worker --study rsi-1 --storage postgresql://tradai:secret@db:5432/studies --epochs 200 --jobs 2',
    '<%= config.bin %> hyperopt worker --study rsi-grid --storage postgresql://tradai:secret@db:5432/studies --jobs 2   # join a sweep',
  ]

  static override flags = {
    study: Flags.string({description: 'The study to join.', required: true}),
    epochs: Flags.integer({char: 'e', description: 'Trials this worker adds.', default: 100}),
    ...studyFlags,
    'strategy-path': Flags.directory({description: 'Folder with strategy files (config strategiesDir).'}),
    'user-data-dir': Flags.directory({description: "Freqtrade's user_data folder (config userDataDir)."}),
    'output-dir': Flags.directory({description: 'Where run folders are kept (default <user-data-dir>/hyperopt_results/tradai).'}),
    'no-track': Flags.boolean({description: "Do not record this worker's trials in MLflow (under the study's parent run)."}),
    ...candleSourceFlags,
  }

  async run(): Promise<HyperoptResult | SweepResult> {
    const given = (value: string | undefined, flag: string) => (value === undefined ? undefined : {value, flag})
    const {config} = await this.resolveConfig({
      strategiesDir: given(this.flags['strategy-path'], '--strategy-path'),
      userDataDir: given(this.flags['user-data-dir'], '--user-data-dir'),
      ...candleSourceConfig(this.flags),
    })
    // A sweep's study shows its own stages (strategy, study, backtest, results) as they come.
    const stages = HYPEROPT_STAGES.filter((stage) => stage.id !== 'oos')
    const result = await this.runCore(stages, async (ctx) => {
      const engine = await this.openEngine(config, ctx)
      const outcome = await runStudyWorker(
        {
          study: this.flags.study,
          storage: this.flags.storage,
          studiesDir: this.flags['studies-dir'] ?? studiesDir(config),
          strategiesDir: config.strategiesDir,
          userDataDir: config.userDataDir,
          outputDir: this.flags['output-dir'] ?? config.outputDir ?? path.join(config.userDataDir, 'hyperopt_results', 'tradai'),
          epochs: this.flags.epochs,
          jobs: this.flags.jobs,
          seed: this.flags.seed,
          sampler: this.flags.sampler,
          sweepOutputDir: this.flags['output-dir'] ?? config.outputDir ?? path.join(config.userDataDir, 'backtest_results', 'tradai'),
          candleStore: await this.openCandleStore(config, ctx),
        },
        engine,
        ctx,
      )
      if (outcome.kind === 'sweep') return outcome.result
      // The worker's trials join the study's parent run (found by the study's client run id).
      const tracking = hyperoptTracking(config, process.env, this.config.version, !this.flags['no-track'])
      return {...outcome.result, tracking: await trackHyperopt(outcome.result, outcome.bridge, tracking, mlflowClient(config.tracking), ctx)}
    })
    if (!this.jsonEnabled()) process.stdout.write('kind' in result && result.kind === 'sweep' ? renderSweepResult(result) : renderHyperoptResult(result as HyperoptResult))
    return result
  }
}
