import {Flags} from '@oclif/core'

import {BaseCommand} from '../../cli/base-command.js'
import {candleSourceConfig, candleSourceFlags, dataFlagConfig, dataFlags, freqtradeConfigFiles, timeoutFlag} from '../../cli/flags.js'
import {renderHyperoptResult} from '../../cli/output/hyperopt-output.js'
import {DEFAULT_LOSS, ENGINES, type HyperoptEngineName} from '../../core/hyperopt/request.js'
import type {HyperoptResult} from '../../core/hyperopt/result.js'
import {HYPEROPT_STAGES} from '../../core/hyperopt/run-hyperopt.js'
import {hyperoptTracking} from '../../core/hyperopt/track-hyperopt.js'
import {hyperoptRequest, runTrackedHyperopt} from '../../core/hyperopt/tracked-hyperopt.js'
import {mlflowClient} from '../../engines/mlflow/connect.js'
import {engineTimeLimit, timeLimited} from '../../core/engine-timeout.js'

/** Flags `hyperopt run` and `hyperopt worker` share. */
export const studyFlags = {
  storage: Flags.string({
    description:
      'Study storage: a PostgreSQL URL (postgresql://USER:PASS@HOST:PORT/DB) that many workers share, or sqlite:////abs/path.db (one machine). Default: a journal file in studiesDir (beside the engine).',
    env: 'TRADAI_HYPEROPT_STORAGE',
  }),
  'studies-dir': Flags.directory({description: 'Folder of journal-file studies (config studiesDir; default `studies` beside the engine).', env: 'TRADAI_STUDIES_DIR'}),
  jobs: Flags.integer({char: 'j', description: 'Parallel workers (processes), each with the candles loaded once.', default: 1}),
  seed: Flags.integer({description: 'Random seed of the sampler (worker N uses seed+N).'}),
  sampler: Flags.string({description: 'Optuna sampler: tpe (default), nsga2 (default with --objectives), cmaes, random, gp.'}),
}

export default class HyperoptRun extends BaseCommand<typeof HyperoptRun> {
  static override summary = "Optimize a strategy's parameters with Optuna (resumable, parallel) or Freqtrade's hyperopt."
  static override description =
    "Each epoch is a real Freqtrade backtest scored by the chosen Freqtrade loss, as Freqtrade's hyperopt scores it. The Optuna engine keeps a study (a journal file in studiesDir beside the engine, or PostgreSQL with --storage) that --study continues after a crash or Ctrl-C; --jobs runs parallel workers that load the candles once. The best parameters are written beside the strategy as Freqtrade writes them (<strategy file>.json) unless --no-export."

  static override examples = [
    '<%= config.bin %> hyperopt run --strategy SampleRsiStrategy --spaces buy sell --epochs 100 --jobs 2',
    '<%= config.bin %> hyperopt run --strategy SampleRsiStrategy --study rsi-1 --epochs 50   # continue study rsi-1',
    '<%= config.bin %> hyperopt run --strategy SampleRsiStrategy --objectives profit drawdown --epochs 200 --oos-fraction 0.25 --json',
    '<%= config.bin %> hyperopt run --strategy SampleRsiStrategy --engine freqtrade --spaces buy --epochs 30',
  ]

  static override flags = {
    timeout: timeoutFlag,
    strategy: Flags.string({char: 's', description: 'Strategy name (or class name).', required: true}),
    engine: Flags.string({description: "optuna (tradai drives the study) or freqtrade (Freqtrade's own hyperopt).", options: [...ENGINES], default: 'optuna'}),
    epochs: Flags.integer({char: 'e', description: 'Epochs (trials) to add in this run.', default: 100}),
    spaces: Flags.string({description: 'Spaces to optimize: buy sell roi stoploss trailing protection trades, default (buy sell roi stoploss) or all.', multiple: true}),
    loss: Flags.string({description: `Freqtrade loss class (default ${DEFAULT_LOSS}).`, default: DEFAULT_LOSS}),
    'min-trades': Flags.integer({description: 'Epochs with fewer trades get the worst loss, as in Freqtrade.', default: 1}),
    study: Flags.string({description: 'Study name: continue it if it exists (default: <strategy>-<time>, a new study).'}),
    objectives: Flags.string({
      description: 'Optimize several objectives at once (NSGA-II, Pareto front): loss profit drawdown trades sharpe sortino calmar winrate expectancy.',
      multiple: true,
    }),
    'oos-timerange': Flags.string({description: 'Held-out candles (YYYYMMDD-YYYYMMDD) to re-backtest the best params on.'}),
    'oos-fraction': Flags.string({description: 'Hold out this last fraction of the candles (e.g. 0.25) and re-backtest the best params on it.'}),
    'top-k': Flags.integer({description: 'How many of the best trials the out-of-sample check re-backtests.', default: 1}),
    'no-export': Flags.boolean({description: 'Do not write the best params beside the strategy.'}),
    ...studyFlags,
    ...dataFlags,
    ...candleSourceFlags,
    'output-dir': Flags.directory({description: 'Where run folders are kept (default <user-data-dir>/hyperopt_results/tradai).'}),
    'no-track': Flags.boolean({description: 'Do not record the study in MLflow (config tracking.enabled, env TRADAI_TRACKING).'}),
  }

  async run(): Promise<HyperoptResult> {
    const resolved = await this.resolveConfig({...dataFlagConfig(this.flags), ...candleSourceConfig(this.flags)})
    const {config} = resolved
    const request = hyperoptRequest(resolved, {
      engine: this.flags.engine as HyperoptEngineName,
      strategy: this.flags.strategy,
      epochs: this.flags.epochs,
      spaces: this.flags.spaces,
      loss: this.flags.loss,
      minTrades: this.flags['min-trades'],
      study: this.flags.study,
      objectives: this.flags.objectives,
      oosTimerange: this.flags['oos-timerange'],
      oosFraction: this.flags['oos-fraction'],
      topK: this.flags['top-k'],
      export: !this.flags['no-export'],
      jobs: this.flags.jobs,
      seed: this.flags.seed,
      sampler: this.flags.sampler,
      storage: this.flags.storage,
      studiesDir: this.flags['studies-dir'],
      outputDir: this.flags['output-dir'],
    })
    request.freqtradeConfig = freqtradeConfigFiles(this.flags)
    const result = await this.runCore(HYPEROPT_STAGES, async (ctx) => {
      const engine = timeLimited(await this.openEngine(config, ctx), engineTimeLimit('The hyperopt', this.flags.timeout, config.engine.timeoutSeconds, null))
      const settings = hyperoptTracking(config, process.env, this.config.version, !this.flags['no-track'])
      return runTrackedHyperopt({...request, candleStore: await this.openCandleStore(config, ctx)}, engine, {settings, port: mlflowClient(config.tracking)}, ctx)
    })
    if (!this.jsonEnabled()) process.stdout.write(renderHyperoptResult(result))
    return result
  }
}
