import {Flags} from '@oclif/core'

import {BaseCommand} from '../../cli/base-command.js'
import {describeSource} from '../../core/config/load.js'
import {trackingDirs} from '../../core/tracking/paths.js'
import {SERVER_START_STAGES, startTrackingServer, type ServerInfo} from '../../engines/mlflow/server.js'

export default class TrackingStart extends BaseCommand<typeof TrackingStart> {
  static override summary = 'Start a local MLflow server (SQLite store and artifacts in tracking.serverDir, beside the engine); later commands use its URL.'
  static override description =
    "Runs `mlflow server` from the engine's environment on 127.0.0.1, with a SQLite store and proxied artifacts in tracking.serverDir (default `mlflow` beside the engine: ~/.local/share/tradai/mlflow), and waits until it answers /health. Idempotent: a running server is reported, not started twice. While it runs, commands without an explicit tracking.uri (config, environment or flag) use its URL (recorded in server.json beside its store; `tracking stop` forgets it)."

  static override examples = ['<%= config.bin %> tracking start', '<%= config.bin %> tracking start --port 5001 --json']

  static override flags = {
    port: Flags.integer({description: 'Port on 127.0.0.1.', default: 5000, min: 1, max: 65535}),
    workers: Flags.integer({description: 'Server worker processes.', default: 1, min: 1, max: 16}),
    timeout: Flags.integer({description: 'Seconds to wait for /health.', default: 180, min: 1}),
  }

  async run(): Promise<ServerInfo> {
    const {config, sources} = await this.resolveConfig()
    const info = await this.runCore(SERVER_START_STAGES, async (ctx) => {
      await this.openEngine(config, ctx)
      return startTrackingServer(
        {
          engineDir: config.engine.dir,
          serverDir: trackingDirs(config).serverDir,
          host: '127.0.0.1',
          port: this.flags.port,
          workers: this.flags.workers,
          timeoutMs: this.flags.timeout * 1000,
          env: process.env,
        },
        ctx,
      )
    })
    if (!this.jsonEnabled()) {
      process.stdout.write(
        [
          `MLflow ${info.version ?? ''} ${info.started ? 'started' : 'already running'} at ${info.url} (pid ${info.pid})`,
          `  store      ${info.store}`,
          `  artifacts  ${info.artifacts}`,
          `  log        ${info.log}`,
          // Without an explicit tracking.uri, later commands find this server's URL in its state file.
          ...(['default', 'server'].includes(sources['tracking.uri']?.kind ?? 'default')
            ? [`  later commands log here while it runs (no tracking.uri set; \`tradai tracking stop\` forgets it)`]
            : info.url === config.tracking.uri.replace(/\/$/, '').replace('localhost', '127.0.0.1')
              ? []
              : [`  tracking.uri is ${config.tracking.uri} (${describeSource(sources['tracking.uri'])}): unset it or set TRADAI_MLFLOW_TRACKING_URI=${info.url} to log here.`]),
          '',
        ].join('\n'),
      )
    }

    return info
  }
}
