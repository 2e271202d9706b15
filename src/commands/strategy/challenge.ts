import {Args, Flags} from '@oclif/core'
import {readFile} from 'node:fs/promises'
import {parse as parseYaml} from 'yaml'

import {dataSettingsFromConfig} from '../../core/backtest/request.js'
import {BaseCommand} from '../../cli/base-command.js'
import {candleSourceConfig, candleSourceFlags, dataFlagConfig, dataFlags, freqtradeConfigFiles, timeoutFlag} from '../../cli/flags.js'
import {gateKey} from '../../cli/gate-key.js'
import {renderChallengeReport} from '../../cli/output/lifecycle-output.js'
import {challengeCriteria, challengeFailure, monteCarloCheck, walkForwardCheck, type CriterionEntry} from '../../core/challenge/challenge-settings.js'
import {studiesDir} from '../../core/hyperopt/study-lock.js'
import {criteriaFromDocument} from '../../core/challenge/criteria.js'
import {CHALLENGE_STAGES, runChallenge, type ChallengeReport} from '../../core/challenge/run-challenge.js'
import {describeSource, type FlagValue} from '../../core/config/load.js'
import {NotFoundError, UsageError} from '../../core/errors.js'
import {actorName} from '../../core/registry/tags.js'
import {runContext} from '../../core/tracking/run-context.js'
import {knownSecrets} from '../../core/tracking/secrets.js'
import {mlflowClient} from '../../engines/mlflow/connect.js'
import {engineTimeLimit, timeLimited} from '../../core/engine-timeout.js'

export default class StrategyChallenge extends BaseCommand<typeof StrategyChallenge> {
  static override summary = "Backtest a registered version's own code against benchmark criteria and record the verdict on the version."
  static override description =
    'Downloads the version\'s code from the registry (never the working copy), backtests it on the given candles and checks each criterion ("metric op value" on the backtest metrics, e.g. "sharpe >= 1", "maxDrawdown < 0.25"; "beatsMarket": profit above the market change; "beatsProduction": better than the production version on the same candles, on challenge.productionMetric). Optional: an out-of-sample window (--oos-timerange) judged on the same criteria, and a Monte Carlo check (the drawdown at a percentile of trade-order shuffles). The report (actual, threshold, pass/fail per criterion) is printed and recorded on the model version (tags, run, artifact). Exit 1 when any criterion fails, 2 for a malformed criterion, 4 registry errors, 5 unknown strategy or version.'

  static override examples = [
    '<%= config.bin %> strategy challenge SampleRsiStrategy --criterion "totalTrades >= 10" --criterion "profitFactor > 1" --criterion beatsMarket',
    '<%= config.bin %> strategy challenge SampleRsiStrategy --version 3 --criteria criteria.yaml --timerange 20180110-20180120 --oos-timerange 20180120-20180125',
    '<%= config.bin %> strategy challenge SampleRsiStrategy --monte-carlo 1000 --mc-percentile 95 --max-mc-drawdown 0.3 --json',
  ]

  static override args = {
    name: Args.string({description: 'Registered strategy name.', required: true}),
  }

  static override flags = {
    timeout: timeoutFlag,
    version: Flags.integer({description: 'Model version to challenge (default: the newest).', min: 1}),
    criterion: Flags.string({description: 'A criterion "metric op value", or beatsMarket / beatsProduction (repeatable; replaces challenge.criteria).', multiple: true}),
    criteria: Flags.file({description: 'JSON or YAML file with a list of criteria (or {criteria: [...]}).', exists: true}),
    'production-metric': Flags.string({description: 'Metric beatsProduction compares (config challenge.productionMetric, default profitTotal).'}),
    'oos-timerange': Flags.string({description: 'Out-of-sample window YYYYMMDD-YYYYMMDD: the criteria must pass there too (config challenge.oosTimerange).'}),
    'monte-carlo': Flags.integer({description: 'Trade-order shuffles for the Monte Carlo drawdown check (config challenge.monteCarlo.runs).', min: 1}),
    'mc-percentile': Flags.string({description: 'Percentile of the shuffled drawdowns to judge (default 95).'}),
    'max-mc-drawdown': Flags.string({description: 'The Monte Carlo drawdown must stay below this ratio, e.g. 0.3.'}),
    'mc-seed': Flags.integer({description: 'Seed of the shuffles (default 42): the same seed, the same result.'}),
    'wf-train-days': Flags.integer({description: 'Walk-forward train days, for wf* criteria like "wfEfficiency >= 0.5" (config challenge.walkForward.trainDays).', min: 1}),
    'wf-test-days': Flags.integer({description: 'Walk-forward test days (config challenge.walkForward.testDays).', min: 1}),
    'wf-windows': Flags.integer({description: 'Walk-forward windows (default: as many as fit).', min: 1}),
    'wf-epochs': Flags.integer({description: 'Optuna trials per walk-forward window (default 30).', min: 1}),
    'wf-seed': Flags.integer({description: 'Seed of the walk-forward sampler (default 42): the same seed, the same result.'}),
    'wf-anchored': Flags.boolean({description: 'Anchored walk-forward windows (every train segment starts at the first day).'}),
    'wf-spaces': Flags.string({description: 'Walk-forward spaces: buy sell protection (default buy sell).', multiple: true}),
    'wf-loss': Flags.string({description: 'Walk-forward Freqtrade loss class (default SharpeHyperOptLoss).'}),
    ...dataFlags,
    ...candleSourceFlags,
    'output-dir': Flags.directory({description: 'Where the backtest runs are kept (default <user-data-dir>/backtest_results/tradai).'}),
  }

  async run(): Promise<ChallengeReport> {
    const given = (value: unknown, flag: string): FlagValue | undefined => (value === undefined ? undefined : {value, flag})
    const numeric = (value: string | undefined) => (value === undefined ? undefined : Number.isFinite(Number(value)) ? Number(value) : value)
    const resolved = await this.resolveConfig({
      ...dataFlagConfig(this.flags),
      ...candleSourceConfig(this.flags),
      outputDir: given(this.flags['output-dir'], '--output-dir'),
      'challenge.productionMetric': given(this.flags['production-metric'], '--production-metric'),
      'challenge.oosTimerange': given(this.flags['oos-timerange'], '--oos-timerange'),
      'challenge.monteCarlo.runs': given(this.flags['monte-carlo'], '--monte-carlo'),
      'challenge.monteCarlo.percentile': given(numeric(this.flags['mc-percentile']), '--mc-percentile'),
      'challenge.monteCarlo.maxDrawdown': given(numeric(this.flags['max-mc-drawdown']), '--max-mc-drawdown'),
      'challenge.monteCarlo.seed': given(this.flags['mc-seed'], '--mc-seed'),
      'challenge.walkForward.trainDays': given(this.flags['wf-train-days'], '--wf-train-days'),
      'challenge.walkForward.testDays': given(this.flags['wf-test-days'], '--wf-test-days'),
      'challenge.walkForward.windows': given(this.flags['wf-windows'], '--wf-windows'),
      'challenge.walkForward.epochs': given(this.flags['wf-epochs'], '--wf-epochs'),
      'challenge.walkForward.seed': given(this.flags['wf-seed'], '--wf-seed'),
      'challenge.walkForward.anchored': given(this.flags['wf-anchored'] || undefined, '--wf-anchored'),
      'challenge.walkForward.spaces': given(this.flags['wf-spaces']?.flatMap((value) => value.split(/[\s,]+/)).filter(Boolean), '--wf-spaces'),
      'challenge.walkForward.loss': given(this.flags['wf-loss'], '--wf-loss'),
    })
    const {config, sources} = resolved
    const criteria = challengeCriteria(await this.criterionEntries(), config.challenge.criteria, describeSource(sources['challenge.criteria']))
    const monteCarlo = monteCarloCheck(config.challenge.monteCarlo)
    const walkForward = walkForwardCheck(config.challenge.walkForward, criteria, studiesDir(config))

    const context = runContext(process.env, this.config.version)
    const key = (await gateKey(config, process.env, {create: true}))!
    const report = await this.runCore(CHALLENGE_STAGES, async (ctx) => {
      const engine = timeLimited(await this.openEngine(config, ctx), engineTimeLimit('The challenge', this.flags.timeout, config.engine.timeoutSeconds, 3600))
      return runChallenge(
        {
          model: this.args.name,
          version: this.flags.version,
          criteria,
          productionMetric: config.challenge.productionMetric,
          oosTimerange: config.challenge.oosTimerange,
          monteCarlo,
          walkForward,
          data: {...dataSettingsFromConfig(resolved, freqtradeConfigFiles(this.flags)), candleStore: await this.openCandleStore(config, ctx)},
          experiment: config.tracking,
          context: {...context, user: actorName(process.env, context.user)},
          secrets: knownSecrets(config, process.env),
          gateKey: key,
        },
        engine,
        mlflowClient(config.tracking),
        ctx,
      )
    })

    return this.finishCheck(report, renderChallengeReport(report), challengeFailure(report))
  }

  /** --criterion and --criteria entries (they replace the configured list). */
  private async criterionEntries(): Promise<CriterionEntry[]> {
    const entries: CriterionEntry[] = (this.flags.criterion ?? []).map((text) => ({text, origin: '--criterion'}))
    if (this.flags.criteria) {
      const file = this.flags.criteria
      let document: unknown
      try {
        const text = await readFile(file, 'utf8')
        document = /\.json$/i.test(file) ? JSON.parse(text) : parseYaml(text)
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new NotFoundError(`Criteria file not found: ${file}`)
        throw new UsageError(`Cannot read the criteria file ${file}: ${(error as Error).message}`)
      }

      for (const text of criteriaFromDocument(document, `--criteria ${file}`)) entries.push({text, origin: `--criteria ${file}`})
    }

    return entries
  }
}
