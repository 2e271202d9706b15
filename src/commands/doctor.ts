import {BaseCommand} from '../cli/base-command.js'
import {describeSource} from '../core/config/load.js'
import {dataFlagConfig, dataFlags} from '../cli/flags.js'
import {renderDoctorReport} from '../cli/output/doctor-output.js'
import {CheckFailedError} from '../core/errors.js'
import {DOCTOR_STAGES, runDoctor, type DoctorReport} from '../core/doctor/run-doctor.js'
import {mlflowHealth} from '../engines/mlflow/health.js'
import {PythonBridge} from '../engines/python/bridge.js'
import {engineLocation, engineState} from '../engines/python/engine-env.js'

export default class Doctor extends BaseCommand<typeof Doctor> {
  static override summary = 'Check Node, the Python engine, strategies, data and the tracking server.'
  static override description =
    'Prints every check and what to do about each problem. Exit 0 when every check passes, 1 when any does not (so a CI step can gate on it); the report (or the --json document, with "ok": false) is printed either way.'
  static override flags = {
    'strategy-path': dataFlags['strategy-path'],
    'user-data-dir': dataFlags['user-data-dir'],
  }

  async run(): Promise<DoctorReport> {
    const {config, sources} = await this.resolveConfig(dataFlagConfig(this.flags))
    const location = engineLocation(config.engine.dir)
    const report = await this.runCore(DOCTOR_STAGES, (ctx) =>
      runDoctor(
        config,
        process.version,
        {
          engineState: () => engineState(location),
          engineVersions: (inner) => new PythonBridge(location, process.env, process.cwd()).run('versions', {}, inner),
          trackingHealth: mlflowHealth,
        },
        ctx,
      ),
    )
    const failure = report.ok ? undefined : new CheckFailedError(`Doctor found ${report.problems.length} problem(s); each says what to do.`)
    return this.finishCheck(report, renderDoctorReport(report, {engineDir: describeSource(sources['engine.dir']), trackingUri: describeSource(sources['tracking.uri'])}), failure)
  }
}
