import type {EnginePort} from '../ports/engine.js'
import type {CoreContext} from '../events.js'
import {keepReport} from '../report/keep-report.js'
import type {TrackingPort} from '../tracking/port.js'
import type {BacktestTracking} from '../tracking/track-backtest.js'
import {runSweep, type SweepRequest, type SweepResult} from './run-sweep.js'
import {trackSweep} from './track-sweep.js'

/** A sweep, then its record in MLflow: the sweep command's one core call. */
export async function runTrackedSweep(
  request: SweepRequest,
  engine: EnginePort,
  tracking: {settings: BacktestTracking; port: TrackingPort},
  ctx: CoreContext,
): Promise<SweepResult & {reportFile?: string}> {
  const result = await runSweep(request, engine, ctx)
  const reportFile = await keepReport(result.runDir, ctx)
  return {...result, ...(reportFile ? {reportFile} : {}), tracking: await trackSweep(result, tracking.settings, tracking.port, ctx)}
}
