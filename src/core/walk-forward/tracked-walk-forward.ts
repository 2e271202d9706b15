import type {EnginePort} from '../ports/engine.js'
import type {CoreContext} from '../events.js'
import {keepReport} from '../report/keep-report.js'
import type {TrackingPort} from '../tracking/port.js'
import type {BacktestTracking} from '../tracking/track-backtest.js'
import {runWalkForward, type WalkForwardRequest, type WalkForwardResult} from './run-walk-forward.js'
import {trackWalkForward} from './track-walk-forward.js'

/** A walk-forward, then its record in MLflow: the walk-forward command's one core call. */
export async function runTrackedWalkForward(
  request: WalkForwardRequest,
  engine: EnginePort,
  tracking: {settings: BacktestTracking; port: TrackingPort},
  ctx: CoreContext,
): Promise<WalkForwardResult & {reportFile?: string}> {
  const result = await runWalkForward(request, engine, ctx)
  const reportFile = await keepReport(result.runDir, ctx)
  return {...result, ...(reportFile ? {reportFile} : {}), tracking: await trackWalkForward(result, tracking.settings, tracking.port, ctx)}
}
