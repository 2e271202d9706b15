import {candleSourceTags} from '../data/arctic-store.js'
import type {CoreContext} from '../events.js'
import type {TrackingPort} from '../tracking/port.js'
import type {BacktestTracking} from '../tracking/track-backtest.js'
import type {FamilyTrackingOutcome} from '../tracking/track-family.js'
import {paramEntries, trackResearch} from '../tracking/track-research.js'
import type {SweepResult} from './run-sweep.js'

/** A sweep in MLflow: one parent run (grid, best point) and one child run per point. */
export async function trackSweep(result: SweepResult, settings: BacktestTracking, port: TrackingPort, ctx: CoreContext): Promise<FamilyTrackingOutcome> {
  return trackResearch(
    {
      kind: 'sweep',
      childNoun: 'point',
      runId: result.runId,
      strategy: result.strategy,
      runDir: result.runDir,
      resultFile: 'tradai-sweep.json',
      durationSeconds: result.durationSeconds,
      params: {
        strategy: result.strategy,
        grid: result.grid,
        sortBy: result.sortBy,
        points: result.points.length,
        pairs: result.pairs.join(','),
        timeframe: result.timeframe,
        timerange: result.timerange,
        exchange: result.exchange,
      },
      metrics: [
        {prefix: 'best.', values: result.best.metrics as unknown as Record<string, unknown>},
        {prefix: '', values: {points: result.points.length, durationSeconds: result.durationSeconds}},
      ],
      tags: {...Object.fromEntries(Object.entries(result.best.params).map(([name, value]) => [`best.${name}`, value])), ...candleSourceTags(result.candleSource)},
      children: [...result.points]
        .sort((a, b) => a.index - b.index)
        .map((point) => ({index: point.index, params: paramEntries(point.params), metrics: [{prefix: '', values: point.metrics as unknown as Record<string, unknown>}]})),
    },
    settings,
    port,
    ctx,
  )
}
