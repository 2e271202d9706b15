import {Args} from '@oclif/core'

import {BaseCommand} from '../../../cli/base-command.js'
import {dataFlagConfig, dataFlags, freqtradeConfigFiles} from '../../../cli/flags.js'
import {errorText} from '../../../cli/render-error.js'
import {ConfigError, ExitCode} from '../../../core/errors.js'
import {STRATEGY_CONFIG_STAGES, strategyConfigTarget, validateStrategyConfigs, type StrategyConfigValidation} from '../../../core/strategy-config/strategy-config.js'

export default class ConfigStrategyValidate extends BaseCommand<typeof ConfigStrategyValidate> {
  static override summary = "Validate a strategy's configuration (or every strategy's) by building the Freqtrade config a run would use."
  static override description =
    "Checks with Freqtrade's own configuration schema and tradai's offline rules (e.g. no network-only pairlists). Exit 2 when any configuration is invalid; the report still goes to stdout."
  static override examples = ['<%= config.bin %> config strategy validate', '<%= config.bin %> config strategy validate SampleRsiStrategy --json']
  static override args = {name: Args.string({description: 'Strategy name (default: every strategy with a configuration).'})}
  static override flags = {...dataFlags}

  async run(): Promise<StrategyConfigValidation> {
    const resolved = await this.resolveConfig(dataFlagConfig(this.flags))
    const {config} = resolved
    const {strategy: _none, ...target} = strategyConfigTarget(this.args.name ?? '', resolved, freqtradeConfigFiles(this.flags))
    const report = await this.runCore(STRATEGY_CONFIG_STAGES.slice(0, 3), async (ctx) =>
      validateStrategyConfigs({...target, strategy: this.args.name}, await this.openEngine(config, ctx), ctx),
    )
    if (!(this.jsonEnabled() && report.valid)) {
      process.stdout.write(
        this.jsonEnabled()
          ? `${JSON.stringify(report, null, 2)}\n`
          : report.strategies
              .map(
                (entry) => `${entry.valid ? '✔' : '✖'} ${entry.name}${entry.error ? `: ${entry.error.message}` : ''}\n${entry.warnings.map((w) => `  warning: ${w}\n`).join('')}`,
              )
              .join('') || 'No strategy has a configuration.\n',
      )
    }

    if (!report.valid) {
      process.stderr.write(errorText(new ConfigError(`${report.strategies.filter((entry) => !entry.valid).length} strategy configuration(s) are invalid.`), false))
      this.exit(ExitCode.usage)
    }

    return report
  }
}
