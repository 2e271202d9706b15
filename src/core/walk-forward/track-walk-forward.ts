import {existsSync} from 'node:fs'
import path from 'node:path'

import type {CoreContext} from '../events.js'
import {REPORT_FILE} from '../report/html-report.js'
import {CLIENT_RUN_ID_TAG, type TrackedRun} from '../tracking/backtest-run.js'
import {experimentName} from '../tracking/paths.js'
import type {TrackingPort} from '../tracking/port.js'
import type {BacktestTracking} from '../tracking/track-backtest.js'
import {clean, contextTags, numbers, PARENT_TAG, trackFamily, type FamilyTrackingOutcome} from '../tracking/track-family.js'
import type {WalkForwardResult, WalkForwardWindow} from './run-walk-forward.js'

/** A walk-forward in MLflow: one parent run (settings, aggregate) and one child run per window. */
export async function trackWalkForward(result: WalkForwardResult, settings: BacktestTracking, port: TrackingPort, ctx: CoreContext): Promise<FamilyTrackingOutcome> {
  const experiment = experimentName(settings.experiment, result.strategy)
  const end = Date.now()
  const start = end - Math.round(result.durationSeconds * 1000)
  const key = `walk-forward:${result.runId}`
  const parent: TrackedRun = {
    format: 1,
    clientRunId: key,
    experimentName: experiment,
    runName: `walk-forward ${result.runId}`,
    user: settings.context.user,
    startTime: start,
    endTime: end,
    params: clean(
      {strategy: result.strategy, trainDays: result.trainDays, testDays: result.testDays, anchored: result.anchored, windows: result.windows.length, epochs: result.epochs, spaces: result.spaces.join(','), loss: result.loss, pairs: result.pairs.join(','), timeframe: result.timeframe},
      settings.secrets,
    ),
    metrics: numbers('wf.', result.aggregate, end),
    tags: clean(
      {
        [CLIENT_RUN_ID_TAG]: key,
        'tradai.kind': 'walk-forward',
        'tradai.strategy': result.strategy,
        'tradai.runId': result.runId,
        'mlflow.runName': `walk-forward ${result.runId}`,
        'mlflow.source.name': 'tradai strategy walk-forward',
        ...contextTags(settings),
      },
      settings.secrets,
    ),
    artifacts: [{path: 'tradai-walk-forward.json', file: path.join(result.runDir, 'tradai-walk-forward.json')}, ...(existsSync(path.join(result.runDir, REPORT_FILE)) ? [{path: REPORT_FILE, file: path.join(result.runDir, REPORT_FILE)}] : [])],
  }
  const child = (window: WalkForwardWindow) => (parentId: string | undefined): TrackedRun => {
    const childKey = `${key}:window:${window.index}`
    const name = `walk-forward ${result.runId} window ${window.index + 1}`
    return {
      format: 1,
      clientRunId: childKey,
      experimentName: experiment,
      runName: name,
      user: settings.context.user,
      startTime: start,
      endTime: end,
      params: clean(
        {train: window.train.timerange, test: window.test.timerange, study: window.study, ...Object.fromEntries(Object.entries(window.bestParams ?? {}).map(([param, value]) => [`param.${param}`, value]))},
        settings.secrets,
      ),
      metrics: [
        ...numbers('is.', window.inSample.metrics as unknown as Record<string, unknown>, end),
        ...numbers('oos.', window.outOfSample.metrics as unknown as Record<string, unknown>, end),
        ...numbers('', {efficiency: window.efficiency}, end),
      ],
      tags: clean(
        {
          [CLIENT_RUN_ID_TAG]: childKey,
          ...(parentId ? {[PARENT_TAG]: parentId} : {}),
          'tradai.parentClientRunId': key,
          'tradai.kind': 'walk-forward-window',
          'tradai.strategy': result.strategy,
          'tradai.window': window.index,
          'mlflow.runName': name,
          'mlflow.source.name': 'tradai strategy walk-forward',
          ...contextTags(settings),
        },
        settings.secrets,
      ),
      artifacts: [],
    }
  }

  return trackFamily(parent, result.windows.map(child), settings, port, ctx, {parent: 'walk-forward', children: 'window'})
}
