import chalk from 'chalk'

import {BaseCommand} from '../cli/base-command.js'
import {dataFlagConfig, dataFlags} from '../cli/flags.js'
import {ExitCode} from '../core/errors.js'
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
    const {config} = await this.resolveConfig(dataFlagConfig(this.flags))
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
    if (!this.jsonEnabled()) {
      const mark = (ok: boolean) => (ok ? chalk.green('✔') : chalk.yellow('!'))
      const e = report.engine
      process.stdout.write(
        [
          `${mark(true)} Node ${report.node.version}`,
          `${mark(e.status === 'ready')} Engine ${e.dir}: ${e.status}${e.python ? ` (Python ${e.pythonVersion}, Freqtrade ${e.freqtrade}, Optuna ${e.optuna}, MLflow ${e.mlflow})` : ''}`,
          `${mark(report.strategiesDir.files > 0)} Strategies ${report.strategiesDir.path}: ${report.strategiesDir.files} files`,
          `${mark(report.userDataDir.candleFiles > 0)} Candles under ${report.userDataDir.path}: ${report.userDataDir.candleFiles} files`,
          `${mark(report.tracking.reachable)} Tracking ${report.tracking.uri}: ${report.tracking.detail}`,
          ...report.problems.map((problem) => `  → ${problem}`),
          '',
        ].join('\n'),
      )
    }

    if (!report.ok) {
      // A failing check still prints its whole report first (as lint does), then exits 1.
      if (this.jsonEnabled()) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`)
      this.exit(ExitCode.checkFailed)
    }

    return report
  }
}
