import {existsSync} from 'node:fs'
import path from 'node:path'

import type {CoreContext} from '../events.js'
import {REPORT_FILE} from '../report/html-report.js'
import {CLIENT_RUN_ID_TAG, type TrackedRun} from '../tracking/backtest-run.js'
import {experimentName} from '../tracking/paths.js'
import type {TrackingPort} from '../tracking/port.js'
import type {BacktestTracking} from '../tracking/track-backtest.js'
import {clean, contextTags, numbers, PARENT_TAG, trackFamily, type FamilyTrackingOutcome} from '../tracking/track-family.js'
import type {SweepPoint, SweepResult} from './run-sweep.js'

/** A sweep in MLflow: one parent run (grid, best point) and one child run per point. */
export async function trackSweep(result: SweepResult, settings: BacktestTracking, port: TrackingPort, ctx: CoreContext): Promise<FamilyTrackingOutcome> {
  const experiment = experimentName(settings.experiment, result.strategy)
  const end = Date.now()
  const start = end - Math.round(result.durationSeconds * 1000)
  const key = `sweep:${result.runId}`
  const best = Object.fromEntries(Object.entries(result.best.params).map(([name, value]) => [`best.${name}`, value]))
  const parent: TrackedRun = {
    format: 1,
    clientRunId: key,
    experimentName: experiment,
    runName: `sweep ${result.runId}`,
    user: settings.context.user,
    startTime: start,
    endTime: end,
    params: clean(
      {strategy: result.strategy, grid: result.grid, sortBy: result.sortBy, points: result.points.length, pairs: result.pairs.join(','), timeframe: result.timeframe, timerange: result.timerange, exchange: result.exchange},
      settings.secrets,
    ),
    metrics: [...numbers('best.', result.best.metrics as unknown as Record<string, unknown>, end), ...numbers('', {points: result.points.length, durationSeconds: result.durationSeconds}, end)],
    tags: clean(
      {
        [CLIENT_RUN_ID_TAG]: key,
        'tradai.kind': 'sweep',
        'tradai.strategy': result.strategy,
        'tradai.runId': result.runId,
        'mlflow.runName': `sweep ${result.runId}`,
        'mlflow.source.name': 'tradai strategy sweep',
        ...best,
        ...contextTags(settings),
      },
      settings.secrets,
    ),
    artifacts: [{path: 'tradai-sweep.json', file: path.join(result.runDir, 'tradai-sweep.json')}, ...(existsSync(path.join(result.runDir, REPORT_FILE)) ? [{path: REPORT_FILE, file: path.join(result.runDir, REPORT_FILE)}] : [])],
  }
  const child = (point: SweepPoint) => (parentId: string | undefined): TrackedRun => {
    const childKey = `${key}:point:${point.index}`
    const name = `sweep ${result.runId} point ${point.index + 1}`
    return {
      format: 1,
      clientRunId: childKey,
      experimentName: experiment,
      runName: name,
      user: settings.context.user,
      startTime: start,
      endTime: end,
      params: clean(Object.fromEntries(Object.entries(point.params).map(([param, value]) => [`param.${param}`, value])), settings.secrets),
      metrics: numbers('', point.metrics as unknown as Record<string, unknown>, end),
      tags: clean(
        {
          [CLIENT_RUN_ID_TAG]: childKey,
          ...(parentId ? {[PARENT_TAG]: parentId} : {}),
          'tradai.parentClientRunId': key,
          'tradai.kind': 'sweep-point',
          'tradai.strategy': result.strategy,
          'tradai.point': point.index,
          'mlflow.runName': name,
          'mlflow.source.name': 'tradai strategy sweep',
          ...contextTags(settings),
        },
        settings.secrets,
      ),
      artifacts: [],
    }
  }

  return trackFamily(parent, [...result.points].sort((a, b) => a.index - b.index).map(child), settings, port, ctx, {parent: 'sweep', children: 'point'})
}
