import {Args} from '@oclif/core'

import {BaseCommand} from '../../cli/base-command.js'
import {dataFlagConfig, dataFlags} from '../../cli/flags.js'
import {renderLifecycle} from '../../cli/output/lifecycle-output.js'
import {renderStrategyDetails} from '../../cli/output/strategy-output.js'
import type {StrategyLifecycle} from '../../core/registry/lifecycle-info.js'
import {showStrategyWithLifecycle, STRATEGY_SHOW_STAGES, type StrategyDetails} from '../../core/strategy/show-strategy.js'
import {mlflowClient} from '../../engines/mlflow/connect.js'

export default class StrategyShow extends BaseCommand<typeof StrategyShow> {
  static override summary = 'Show one strategy: metadata, parameters with ranges and current values, timeframe, ROI, stoploss.'
  static override description =
    'Loads the strategy as a backtest would (its params file beside it included) and shows its metadata, its hyperoptable parameters (space, type, range, default and the value a backtest uses now), timeframe, ROI table, stoploss and trailing stop; with a reachable tracking server, also its registry versions and lifecycle history. An unknown name exits 5 and lists the strategies found; a strategy file that fails to import exits 2 with its file and line.'

  static override examples = ['<%= config.bin %> strategy show SampleRsiStrategy', '<%= config.bin %> strategy show SampleRsiStrategy --json']

  static override args = {
    name: Args.string({description: 'Strategy name (metadata name or class name).', required: true}),
  }

  static override flags = {
    'strategy-path': dataFlags['strategy-path'],
  }

  async run(): Promise<StrategyDetails & {registry: StrategyLifecycle}> {
    const {config} = await this.resolveConfig(dataFlagConfig(this.flags))
    // The registry is asked once, briefly: show works offline.
    const registry = mlflowClient(config.tracking, {retries: 0, timeoutMs: 5000})
    const result = await this.runCore(STRATEGY_SHOW_STAGES, async (ctx) =>
      showStrategyWithLifecycle({strategiesDir: config.strategiesDir, name: this.args.name}, await this.openEngine(config, ctx), registry, ctx),
    )
    if (!this.jsonEnabled()) process.stdout.write(renderStrategyDetails(result) + renderLifecycle(result.registry))
    return result
  }
}
