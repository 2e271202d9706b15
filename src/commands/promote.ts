import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../cli/base-command.js'
import {gateKey} from '../cli/gate-key.js'
import {renderPromote} from '../cli/output/lifecycle-output.js'
import {UsageError} from '../core/errors.js'
import {promotionPolicy} from '../core/promotion/policy.js'
import {PROMOTE_STAGES, promoteStrategy, type PromoteResult} from '../core/promotion/promote.js'
import {repairAliases, type RepairResult} from '../core/promotion/repair.js'
import {actorName} from '../core/registry/tags.js'
import {runContext} from '../core/tracking/run-context.js'
import {mlflowClient} from '../engines/mlflow/connect.js'

export default class Promote extends BaseCommand<typeof Promote> {
  static override summary = 'Move a registered strategy version to staged or promoted (production), through its gates; or roll production back.'
  static override description =
    "staged needs a passing lint and a passing challenge recorded on that exact version with the same code hash, whose run evaluated at least the policy criteria gates.challenge.criteria (the latest challenge is the evidence); promoted needs the version staged and a completed shadow report (`tradai shadow report`) of that exact code hash meeting gates.shadow, read back from MLflow (--force --reason TEXT overrides that gate only, and the override is recorded). Applying moves the alias staging/production, sets state tags, archives the version production pointed at and appends an audit record (who, when, from → to, reason, evidence run ids) to the model's audit log. --rollback points production back at the previous production version from the audit history. --dry-run prints the plan and changes nothing. Exit 1 when a gate refuses, 4 for registry errors or a conflicting concurrent change, 5 for an unknown strategy or version."

  static override examples = [
    '<%= config.bin %> promote SampleRsiStrategy --to staged --version 3',
    '<%= config.bin %> promote SampleRsiStrategy --to promoted --dry-run',
    '<%= config.bin %> promote SampleRsiStrategy --to promoted --force --reason "shadow window too short; reviewed by risk"',
    '<%= config.bin %> promote SampleRsiStrategy --rollback --reason "live slippage"',
  ]

  static override args = {
    name: Args.string({description: 'Registered strategy name.', required: true}),
  }

  static override flags = {
    to: Flags.option({options: ['staged', 'promoted'] as const, description: 'Target state.'})(),
    version: Flags.integer({description: 'Model version (default: staged → the newest, promoted → the staged one).', min: 1}),
    rollback: Flags.boolean({description: 'Point production back at the previous production version (from the audit history).', exclusive: ['to']}),
    'dry-run': Flags.boolean({description: 'Print the plan; change nothing.'}),
    reason: Flags.string({description: 'Why: recorded in the audit entry (required with --force).'}),
    force: Flags.boolean({description: 'Override the shadow-trading gate (never lint or challenge); needs --reason.'}),
    repair: Flags.boolean({description: "Point aliases moved by hand back where tradai's audit log says they belong.", exclusive: ['to', 'rollback', 'force']}),
  }

  async run(): Promise<PromoteResult | RepairResult> {
    if (this.flags.repair) return this.repair()
    if (!this.flags.to && !this.flags.rollback) {
      throw new UsageError('Say where to: --to staged, --to promoted, or --rollback.', {suggestions: ['Run `tradai promote --help`.']})
    }

    const {config} = await this.resolveConfig()
    const context = runContext(process.env, this.config.version)
    const result = await this.runCore(PROMOTE_STAGES, async (ctx) =>
      promoteStrategy(
        {
          model: this.args.name,
          action: this.flags.rollback ? 'rollback' : this.flags.to === 'staged' ? 'stage' : 'promote',
          version: this.flags.version,
          reason: this.flags.reason,
          force: this.flags.force,
          dryRun: this.flags['dry-run'],
          who: actorName(process.env, context.user),
          at: new Date().toISOString(),
          experiment: config.tracking,
          gateKey: await gateKey(config, process.env, {create: false}),
          policy: promotionPolicy(config),
        },
        mlflowClient(config.tracking),
        ctx,
      ),
    )
    if (!this.jsonEnabled()) process.stdout.write(renderPromote(result))
    return result
  }

  private async repair(): Promise<RepairResult> {
    const {config} = await this.resolveConfig()
    const context = runContext(process.env, this.config.version)
    const result = await this.runCore(PROMOTE_STAGES, async (ctx) =>
      repairAliases({model: this.args.name, who: actorName(process.env, context.user), dryRun: this.flags['dry-run']}, mlflowClient(config.tracking), ctx),
    )
    if (!this.jsonEnabled()) {
      const show = (version: number | null) => (version === null ? 'unset' : `v${version}`)
      const lines = result.repaired.map((drift) => `  ${result.dryRun ? '•' : '✔'} alias ${drift.alias}: ${show(drift.actual)} → ${show(drift.expected)}`)
      process.stdout.write(
        `${result.repaired.length === 0 ? `${result.model.name}: every alias is where the audit log put it; nothing to repair.` : `${result.dryRun ? 'Would restore' : 'Restored'} from the audit log:`}\n${lines.join('\n')}${lines.length ? '\n' : ''}`,
      )
    }

    return result
  }
}
