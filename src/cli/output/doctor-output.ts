import chalk from 'chalk'

import type {DoctorReport} from '../../core/doctor/run-doctor.js'

/** The human form of `tradai doctor`: one line per check, then what to do about each problem. */
export function renderDoctorReport(report: DoctorReport, from: {engineDir?: string; trackingUri?: string} = {}): string {
  const mark = (ok: boolean) => (ok ? chalk.green('✔') : chalk.yellow('!'))
  const e = report.engine
  return [
    `${mark(true)} Node ${report.node.version}`,
    `${mark(e.status === 'ready')} Engine ${e.dir}: ${e.status}${e.python ? ` (Python ${e.pythonVersion}, Freqtrade ${e.freqtrade}, Optuna ${e.optuna}, MLflow ${e.mlflow})` : ''}`,
    ...(from.engineDir ? [`    from ${from.engineDir}`] : []),
    `${mark(report.strategiesDir.files > 0)} Strategies ${report.strategiesDir.path}: ${report.strategiesDir.files} files`,
    `${mark(report.userDataDir.candleFiles > 0)} Candles under ${report.userDataDir.path}: ${report.userDataDir.candleFiles} files`,
    `${mark(report.tracking.reachable)} Tracking ${report.tracking.uri}: ${report.tracking.detail}`,
    ...(from.trackingUri ? [`    from ${from.trackingUri}`] : []),
    ...report.problems.map((problem) => `  → ${problem}`),
    '',
  ].join('\n')
}
