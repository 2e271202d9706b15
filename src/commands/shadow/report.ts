import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../cli/base-command.js'
import {gateKey} from '../../cli/gate-key.js'
import {renderShadowReport} from '../../cli/output/shadow-output.js'
import {actorName} from '../../core/registry/tags.js'
import {SHADOW_REPORT_STAGES, shadowReport, shadowReportRequest, type ShadowReport} from '../../core/shadow/report.js'
import {runContext} from '../../core/tracking/run-context.js'
import {mlflowClient} from '../../engines/mlflow/connect.js'

export default class ShadowReportCommand extends BaseCommand<typeof ShadowReportCommand> {
  static override summary = "A shadow session's trades and Freqtrade statistics, its drift from a backtest of the same window, and the shadow gate."
  static override description =
    "Trades and orders from the bot's own database, Freqtrade's statistics, cancelled/unfilled orders, virtual and wall time; then a tradai backtest of the same version, window, pairs and wallet, matched trade by trade (pair, open time within one candle): match rate, entry/exit slippage, backtest-only and shadow-only trades, Δprofit, Δdrawdown; judged against gates.shadow (minDays, minTrades, minMatchRate, maxProfitDrift, profitDriftFloor, maxDrawdown). Recorded as an MLflow run and on the model version (tradai.shadow.*), which `promote --to promoted` reads. Works for a dead or stopped session too. Exit 4 registry errors, 5 unknown session."

  static override examples = ['<%= config.bin %> shadow report sh-20261201-101500-a1b2c3', '<%= config.bin %> shadow report sh-20261201-101500-a1b2c3 --json']
  static override args = {session: Args.string({description: 'Session id.', required: true})}
  static override flags = {
    'no-record': Flags.boolean({description: 'Do not record the report in MLflow or on the version.'}),
  }

  async run(): Promise<ShadowReport> {
    const {config} = await this.resolveConfig()
    const context = runContext(process.env, this.config.version)
    const report = await this.runCore(SHADOW_REPORT_STAGES, async (ctx) => {
      const engine = await this.openEngine(config, ctx)
      // Recorded, and signed with the gate key promotion verifies, unless --no-record.
      const record = !this.flags['no-record']
      const key = record ? await gateKey(config, process.env, {create: true}) : null
      return shadowReport(
        shadowReportRequest(config, this.args.session, {...context, user: actorName(process.env, context.user)}, record, key),
        engine,
        mlflowClient(config.tracking),
        ctx,
      )
    })
    if (!this.jsonEnabled()) process.stdout.write(renderShadowReport(report))
    return report
  }
}
