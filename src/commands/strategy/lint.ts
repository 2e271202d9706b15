import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../cli/base-command.js'
import {dataFlagConfig, dataFlags, freqtradeConfigFiles} from '../../cli/flags.js'
import {settingSources} from '../../core/backtest/request.js'
import {renderLintExplanation, renderLintReport} from '../../cli/output/lint-report.js'
import {UsageError} from '../../core/errors.js'
import {EXPLAIN_STAGES, explainRule, type LintRuleExplanation} from '../../core/lint/explain-rule.js'
import {LINT_STAGES, runLint} from '../../core/lint/run-lint.js'
import {toSarif} from '../../core/lint/sarif.js'
import {splitTargets} from '../../core/lint/targets.js'
import type {LintReport} from '../../core/lint/types.js'
import {lintFailure} from '../../core/lint/verdict.js'

export default class StrategyLint extends BaseCommand<typeof StrategyLint> {
  static override summary = 'Check strategies for lookahead bias, bad metadata, parameters and secrets, without a backtest.'
  static override description =
    "Static checks on the strategy source (Python ast; nothing is imported or run): the class and its base, TradAIStrategy metadata, INTERFACE_VERSION 3, required members, lookahead patterns (negative shift, centred rolling windows, whole-column aggregates, scalers fitted and ranks over a whole column — followed into the helper functions populate_* passes the frame to — iloc ahead, backward fill, unshifted resample/merge), hyperopt parameter spaces and bounds, startup_candle_count, secrets in code, can_short against the trading mode. --deep also runs Freqtrade's lookahead-analysis and recursive-analysis offline on local candles. Exit 1 when an error is found (a warning too with --strict), else 0; the report is printed either way. --explain RULE prints why a rule exists with a bad and a good example."

  static override examples = [
    '<%= config.bin %> strategy lint',
    '<%= config.bin %> strategy lint SampleRsiStrategy --strict',
    '<%= config.bin %> strategy lint strategies/my_strategy.py --format sarif > lint.sarif',
    '<%= config.bin %> strategy lint MyStrategy --deep --pairs ETH/BTC --timerange 20180120-20180125',
    '<%= config.bin %> strategy lint --explain TRD103',
  ]

  static override strict = false
  static override args = {
    target: Args.string({description: 'Strategy names, files or folders (default: every strategy in the strategies folder).'}),
  }

  static override flags = {
    format: Flags.option({options: ['text', 'json', 'sarif'] as const, default: 'text', description: 'Report format on stdout.'})(),
    deep: Flags.boolean({description: "Also run Freqtrade's lookahead-analysis and recursive-analysis on local candles (slow: backtests)."}),
    strict: Flags.boolean({description: 'Warnings fail the lint too (exit 1).'}),
    explain: Flags.string({description: 'Explain one rule (id such as TRD103, or its name) with a bad and a good example; lints nothing.'}),
    'strategy-path': dataFlags['strategy-path'],
    'user-data-dir': dataFlags['user-data-dir'],
    exchange: dataFlags.exchange,
    pairs: dataFlags.pairs,
    timerange: dataFlags.timerange,
    'freqtrade-config': dataFlags['freqtrade-config'],
  }

  async run(): Promise<LintReport | LintRuleExplanation> {
    const {argv} = await this.parse(StrategyLint)
    if (this.flags.explain !== undefined) return this.explain(this.flags.explain)
    if (this.jsonEnabled() && this.flags.format === 'sarif') {
      throw new UsageError('--json and --format sarif ask for two different documents on stdout.', {
        suggestions: ['Use --format sarif for code scanning, or --json for the tradai report.'],
      })
    }

    const {config, sources} = await this.resolveConfig(dataFlagConfig(this.flags))
    const targets = splitTargets(argv as string[], process.cwd())
    const report = await this.runCore(LINT_STAGES, async (ctx) => {
      const engine = await this.openEngine(config, ctx)
      return runLint(
        {
          ...targets,
          strategiesDir: config.strategiesDir,
          deep: Boolean(this.flags.deep),
          strict: Boolean(this.flags.strict),
          userDataDir: config.userDataDir,
          // The default exchange must not override the strategy's own metadata; a chosen one does.
          exchange: sources.exchange?.kind === 'default' ? undefined : config.exchange,
          pairs: config.pairs,
          timerange: config.timerange,
          freqtradeConfig: freqtradeConfigFiles(this.flags),
          settingSources: settingSources(sources),
        },
        engine,
        ctx,
      )
    })

    // --format json/sarif without --json: that document is the "human" output.
    return this.finishCheck(report, this.document(report), lintFailure(report))
  }

  private async explain(rule: string): Promise<LintRuleExplanation> {
    const {config} = await this.resolveConfig(dataFlagConfig(this.flags))
    const explanation = await this.runCore(EXPLAIN_STAGES, async (ctx) => explainRule(rule, await this.openEngine(config, ctx), ctx))
    if (!this.jsonEnabled()) process.stdout.write(renderLintExplanation(explanation))
    return explanation
  }

  private document(report: LintReport): string {
    if (this.jsonEnabled() || this.flags.format === 'json') return `${JSON.stringify(report, null, 2)}\n`
    if (this.flags.format === 'sarif') {
      return `${JSON.stringify(toSarif(report, {baseDir: process.cwd(), toolVersion: this.config.version}), null, 2)}\n`
    }

    return renderLintReport(report, process.cwd())
  }
}
