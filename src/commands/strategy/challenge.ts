import {Args, Flags} from '@oclif/core'
import {readFile} from 'node:fs/promises'
import {parse as parseYaml} from 'yaml'

import {dataSettingsFromConfig} from '../../core/backtest/request.js'
import {BaseCommand} from '../../cli/base-command.js'
import {dataFlagConfig, dataFlags} from '../../cli/flags.js'
import {renderChallengeReport} from '../../cli/output/lifecycle-output.js'
import {errorText} from '../../cli/render-error.js'
import {challengeCriteria, challengeFailure, monteCarloCheck, type CriterionEntry} from '../../core/challenge/challenge-settings.js'
import {criteriaFromDocument} from '../../core/challenge/criteria.js'
import {CHALLENGE_STAGES, runChallenge, type ChallengeReport} from '../../core/challenge/run-challenge.js'
import {describeSource, type FlagValue} from '../../core/config/load.js'
import {ExitCode, NotFoundError, UsageError} from '../../core/errors.js'
import {actorName} from '../../core/registry/tags.js'
import {runContext} from '../../core/tracking/run-context.js'
import {knownSecrets} from '../../core/tracking/secrets.js'
import {mlflowClient} from '../../engines/mlflow/connect.js'
import {openEngine} from '../../engines/python/open-engine.js'

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
    version: Flags.integer({description: 'Model version to challenge (default: the newest).', min: 1}),
    criterion: Flags.string({description: 'A criterion "metric op value", or beatsMarket / beatsProduction (repeatable; replaces challenge.criteria).', multiple: true}),
    criteria: Flags.file({description: 'JSON or YAML file with a list of criteria (or {criteria: [...]}).', exists: true}),
    'production-metric': Flags.string({description: 'Metric beatsProduction compares (config challenge.productionMetric, default profitTotal).'}),
    'oos-timerange': Flags.string({description: 'Out-of-sample window YYYYMMDD-YYYYMMDD: the criteria must pass there too (config challenge.oosTimerange).'}),
    'monte-carlo': Flags.integer({description: 'Trade-order shuffles for the Monte Carlo drawdown check (config challenge.monteCarlo.runs).', min: 1}),
    'mc-percentile': Flags.string({description: 'Percentile of the shuffled drawdowns to judge (default 95).'}),
    'max-mc-drawdown': Flags.string({description: 'The Monte Carlo drawdown must stay below this ratio, e.g. 0.3.'}),
    'mc-seed': Flags.integer({description: 'Seed of the shuffles (default 42): the same seed, the same result.'}),
    ...dataFlags,
    'output-dir': Flags.directory({description: 'Where the backtest runs are kept (default <user-data-dir>/backtest_results/tradai).'}),
  }

  async run(): Promise<ChallengeReport> {
    const given = (value: unknown, flag: string): FlagValue | undefined => (value === undefined ? undefined : {value, flag})
    const numeric = (value: string | undefined) => (value === undefined ? undefined : Number.isFinite(Number(value)) ? Number(value) : value)
    const resolved = await this.resolveConfig({
      ...dataFlagConfig(this.flags),
      outputDir: given(this.flags['output-dir'], '--output-dir'),
      'challenge.productionMetric': given(this.flags['production-metric'], '--production-metric'),
      'challenge.oosTimerange': given(this.flags['oos-timerange'], '--oos-timerange'),
      'challenge.monteCarlo.runs': given(this.flags['monte-carlo'], '--monte-carlo'),
      'challenge.monteCarlo.percentile': given(numeric(this.flags['mc-percentile']), '--mc-percentile'),
      'challenge.monteCarlo.maxDrawdown': given(numeric(this.flags['max-mc-drawdown']), '--max-mc-drawdown'),
      'challenge.monteCarlo.seed': given(this.flags['mc-seed'], '--mc-seed'),
    })
    const {config, sources} = resolved
    const criteria = challengeCriteria(await this.criterionEntries(), config.challenge.criteria, describeSource(sources['challenge.criteria']))
    const monteCarlo = monteCarloCheck(config.challenge.monteCarlo)

    const context = runContext(process.env, this.config.version)
    const report = await this.runCore(CHALLENGE_STAGES, async (ctx) => {
      const engine = await openEngine({config, env: process.env, cwd: process.cwd()}, ctx)
      return runChallenge(
        {
          model: this.args.name,
          version: this.flags.version,
          criteria,
          productionMetric: config.challenge.productionMetric,
          oosTimerange: config.challenge.oosTimerange,
          monteCarlo,
          data: dataSettingsFromConfig(resolved),
          experiment: config.tracking,
          context: {...context, user: actorName(process.env, context.user)},
          secrets: knownSecrets(config, process.env),
        },
        engine,
        mlflowClient(config.tracking),
        ctx,
      )
    })

    // Like lint: a failed challenge still puts its whole report on stdout before exiting 1.
    if (!(this.jsonEnabled() && report.passed)) {
      process.stdout.write(this.jsonEnabled() ? `${JSON.stringify(report, null, 2)}\n` : renderChallengeReport(report))
    }

    const failure = challengeFailure(report)
    if (failure) {
      process.stderr.write(errorText(failure, false))
      this.exit(ExitCode.checkFailed)
    }

    return report
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
