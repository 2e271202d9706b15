import {BaseCommand} from '../../cli/base-command.js'
import {trackingDirs} from '../../core/tracking/paths.js'
import {SERVER_STOP_STAGES, stopTrackingServer, type StopServerResult} from '../../engines/mlflow/server.js'

export default class TrackingStop extends BaseCommand<typeof TrackingStop> {
  static override summary = 'Stop the local MLflow server and every process it started.'
  static override description = 'Stops the server `tradai tracking start` started (its whole process tree). Stopping a stopped server is not an error.'
  static override examples = ['<%= config.bin %> tracking stop']

  async run(): Promise<StopServerResult> {
    const {config} = await this.resolveConfig()
    const result = await this.runCore(SERVER_STOP_STAGES, (ctx) => stopTrackingServer(trackingDirs(config).serverDir, ctx))
    if (!this.jsonEnabled()) process.stdout.write(result.stopped ? `Stopped MLflow at ${result.url} (pid ${result.pid}).\n` : 'No local MLflow server was running.\n')
    return result
  }
}
