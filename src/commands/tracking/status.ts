import chalk from 'chalk'

import {BaseCommand} from '../../cli/base-command.js'
import {ExitCode} from '../../core/errors.js'
import {trackingDirs} from '../../core/tracking/paths.js'
import {SERVER_STATUS_STAGES, trackingStatus, type TrackingStatus} from '../../engines/mlflow/server.js'

export default class TrackingStatusCommand extends BaseCommand<typeof TrackingStatusCommand> {
  static override summary = 'Show the MLflow server: URL, version, uptime, and runs waiting in the outbox.'
  static override description =
    'Reports the local server `tradai tracking start` runs, or else the configured tracking URI. Exit 0 when the server answers, 4 (tracking) when it is down; the status (or the --json document) is printed either way, so a CI step can gate on it.'

  static override examples = ['<%= config.bin %> tracking status', '<%= config.bin %> tracking status --json']

  async run(): Promise<TrackingStatus> {
    const {config} = await this.resolveConfig()
    const dirs = trackingDirs(config)
    const status = await this.runCore(SERVER_STATUS_STAGES, (ctx) => trackingStatus({serverDir: dirs.serverDir, trackingUri: config.tracking.uri, outboxDir: dirs.outboxDir}, ctx))
    if (!this.jsonEnabled()) {
      const uptime = status.local.uptimeSeconds === null ? null : formatUptime(status.local.uptimeSeconds)
      process.stdout.write(
        [
          `${status.reachable ? chalk.green('●') : chalk.red('●')} MLflow ${status.url}: ${status.reachable ? `up, version ${status.version ?? 'unknown'}` : `down (${status.detail})`}`,
          `  local server  ${status.local.running ? `running, pid ${status.local.pid}, up ${uptime}` : 'not running (`tradai tracking start`)'}`,
          `  tracking.uri  ${status.trackingUri}`,
          `  outbox        ${status.outbox.count} run(s) waiting in ${status.outbox.dir}${status.outbox.count > 0 ? ' (`tradai tracking sync`)' : ''}`,
          ...status.outbox.quarantined.map((entry) => `  quarantined   ${entry.dir}: ${entry.reason}`),
          '',
        ].join('\n'),
      )
    }

    if (!status.reachable) {
      if (this.jsonEnabled()) process.stdout.write(`${JSON.stringify(status, null, 2)}\n`)
      this.exit(ExitCode.tracking)
    }

    return status
  }
}

function formatUptime(seconds: number): string {
  const h = Math.floor(seconds / 3600)
  const m = Math.floor((seconds % 3600) / 60)
  const s = seconds % 60
  return h > 0 ? `${h}h ${m}m` : m > 0 ? `${m}m ${s}s` : `${s}s`
}
