import {candleSourceTags} from '../data/arctic-store.js'
import type {CoreContext} from '../events.js'
import type {TrackingPort} from '../tracking/port.js'
import type {BacktestTracking} from '../tracking/track-backtest.js'
import type {FamilyTrackingOutcome} from '../tracking/track-family.js'
import {paramEntries, trackResearch} from '../tracking/track-research.js'
import type {WalkForwardResult} from './run-walk-forward.js'

/**
 * A walk-forward in MLflow: one parent run (settings, aggregate as wf.*) and one child run per
 * window with its train/test timeranges, best params (param.*) and in/out-of-sample metrics (is.*, oos.*).
 */
export async function trackWalkForward(result: WalkForwardResult, settings: BacktestTracking, port: TrackingPort, ctx: CoreContext): Promise<FamilyTrackingOutcome> {
  return trackResearch(
    {
      kind: 'walk-forward',
      childNoun: 'window',
      runId: result.runId,
      strategy: result.strategy,
      runDir: result.runDir,
      resultFile: 'tradai-walk-forward.json',
      durationSeconds: result.durationSeconds,
      params: {
        strategy: result.strategy,
        trainDays: result.trainDays,
        testDays: result.testDays,
        anchored: result.anchored,
        windows: result.windows.length,
        epochs: result.epochs,
        spaces: result.spaces.join(','),
        loss: result.loss,
        pairs: result.pairs.join(','),
        timeframe: result.timeframe,
      },
      metrics: [{prefix: 'wf.', values: result.aggregate}],
      tags: candleSourceTags(result.candleSource),
      children: result.windows.map((window) => ({
        index: window.index,
        params: {train: window.train.timerange, test: window.test.timerange, study: window.study, ...paramEntries(window.bestParams)},
        metrics: [
          {prefix: 'is.', values: window.inSample.metrics as unknown as Record<string, unknown>},
          {prefix: 'oos.', values: window.outOfSample.metrics as unknown as Record<string, unknown>},
          {prefix: '', values: {efficiency: window.efficiency}},
        ],
      })),
    },
    settings,
    port,
    ctx,
  )
}
