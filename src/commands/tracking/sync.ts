import {BaseCommand} from '../../cli/base-command.js'
import {trackingDirs} from '../../core/tracking/paths.js'
import {SYNC_STAGES, syncOutbox, type SyncResult} from '../../core/tracking/sync.js'
import {mlflowClient} from '../../engines/mlflow/connect.js'

export default class TrackingSync extends BaseCommand<typeof TrackingSync> {
  static override summary = 'Log the runs queued in the outbox while MLflow was unreachable.'
  static override description =
    'Replays the outbox (config tracking.outboxDir, beside the engine) to the tracking server. Idempotent: each run is created once, however often sync is repeated or interrupted. Exit 4 when a run cannot be logged (it stays queued).'

  static override examples = ['<%= config.bin %> tracking sync', '<%= config.bin %> tracking sync --json']

  async run(): Promise<SyncResult> {
    const {config} = await this.resolveConfig()
    const result = await this.runCore(SYNC_STAGES, (ctx) => syncOutbox(trackingDirs(config).outboxDir, mlflowClient(config.tracking), ctx))
    if (!this.jsonEnabled()) {
      const lines = result.synced.map((run) => `  ${run.clientRunId} → ${run.url}`)
      const moved = result.quarantined.map((entry) => `  quarantined ${entry.id}: ${entry.reason} → ${entry.dir}`)
      process.stdout.write(
        `Synced ${result.synced.length} run(s) to ${result.uri}; ${result.remaining} queued.\n${[...lines, ...moved].join('\n')}${lines.length + moved.length ? '\n' : ''}`,
      )
    }

    return result
  }
}
