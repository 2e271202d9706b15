import {randomBytes} from 'node:crypto'
import {writeFile} from 'node:fs/promises'
import path from 'node:path'

import type {EnginePort} from '../ports/engine.js'
import type {BacktestMetrics} from '../backtest/metrics.js'
import {bridgeDataFields, validateBacktestRequest, type BacktestDataSettings, type ParamValue} from '../backtest/request.js'
import {keepBacktestResult, type BacktestResult} from '../backtest/run-backtest.js'
import {CANDLE_SOURCE_STAGES, candlesForRun} from '../data/arctic-cache.js'
import type {CandleSourceRecord} from '../data/arctic-store.js'
import {CRITERION_METRICS, LOWER_IS_BETTER, type CriterionMetric} from '../challenge/criteria.js'
import {UsageError} from '../errors.js'
import type {CoreContext} from '../events.js'
import {createRunFolder, keepRunStatus} from '../runs/status.js'
import type {FamilyTrackingOutcome} from '../tracking/track-family.js'
import {checkGridSize, gridPoints, type GridAxis} from './grid.js'

export interface SweepRequest extends BacktestDataSettings {
  strategy: string
  strategiesDir: string
  grid: GridAxis[]
  jobs: number
  sortBy: CriterionMetric
  maxPoints: number
  /** --yes: run a grid larger than maxPoints. */
  confirmed: boolean
}

export interface SweepPoint {
  /** Position in the grid (cartesian order, first axis slowest). */
  index: number
  params: Record<string, ParamValue>
  metrics: BacktestMetrics
  /** The point's own backtest run folder (Freqtrade's export, config, strategy copy). */
  runDir: string
}

export interface SweepResult {
  kind: 'sweep'
  runId: string
  strategy: string
  strategyClass: string
  grid: Record<string, ParamValue[]>
  sortBy: CriterionMetric
  /** Best first by sortBy (nulls last); ties keep grid order. */
  points: SweepPoint[]
  best: {params: Record<string, ParamValue>; metrics: BacktestMetrics}
  exchange: string
  timeframe: string
  timerange: string | null
  pairs: string[]
  stakeCurrency: string
  jobs: number
  runDir: string
  durationSeconds: number
  engine: {freqtrade: string}
  /** With `data.source: arcticdb`: the store, library and symbol versions every point read. */
  candleSource?: CandleSourceRecord
  tracking?: FamilyTrackingOutcome
}

export const SWEEP_STAGES = [
  {id: 'engine', title: 'Python engine'},
  ...CANDLE_SOURCE_STAGES,
  {id: 'validate', title: 'Validate the grid'},
  {id: 'strategy', title: 'Load the strategy and check every point'},
  {id: 'backtest', title: 'Backtest every point (warm engine)'},
  {id: 'results', title: 'Read the results'},
  {id: 'tracking', title: 'Record in MLflow'},
]

export function newSweepRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)
  return `sw-${stamp}-${randomBytes(3).toString('hex')}`
}

export function validateSortBy(metric: string): CriterionMetric {
  const known = CRITERION_METRICS.find((name) => name === metric)
  if (!known) throw new UsageError(`Unknown --sort-by metric "${metric}".`, {suggestions: [`Use one of: ${CRITERION_METRICS.join(', ')}.`]})
  return known
}

/** Best first: higher is better except for drawdowns and losses; a missing value ranks last. */
export function rankPoints(points: SweepPoint[], metric: CriterionMetric): SweepPoint[] {
  const sign = LOWER_IS_BETTER.has(metric) ? 1 : -1
  return [...points].sort((a, b) => {
    const x = a.metrics[metric]
    const y = b.metrics[metric]
    if (x === null && y === null) return a.index - b.index
    if (x === null) return 1
    if (y === null) return -1
    return sign * (x - y) || a.index - b.index
  })
}

/**
 * `tradai strategy sweep`: every point of the grid is a full Freqtrade backtest, run by the warm
 * engine (`backtest-batch`: Freqtrade imported once per job, candles loaded once, indicators
 * recomputed per point). Each point keeps its own backtest run folder under the sweep's folder.
 */
export async function runSweep(request: SweepRequest, engine: EnginePort, ctx: CoreContext): Promise<SweepResult> {
  const started = Date.now()
  ctx.onEvent({type: 'stage', stage: 'validate', status: 'start'})
  validateBacktestRequest({...request, params: {}})
  if (!Number.isInteger(request.jobs) || request.jobs < 1) throw new UsageError(`--jobs must be a whole number of at least 1, not ${request.jobs}.`)
  checkGridSize(request.grid, request.maxPoints, request.confirmed)
  const params = gridPoints(request.grid)
  const runId = newSweepRunId()
  const runDir = path.join(request.outputDir, runId)
  const pointDirs = params.map((_, index) => path.join(runDir, 'points', `p${String(index + 1).padStart(4, '0')}`))
  await createRunFolder(runDir, request.outputDir)
  return keepRunStatus({runId, runDir, kind: 'sweep', strategy: request.strategy}, async () => {
    ctx.onEvent({type: 'stage', stage: 'validate', status: 'done', message: `${params.length} point(s)`})
    const candles = await candlesForRun(request, runDir, engine, ctx)

    const bridge = await engine.run(
      'backtest-batch',
      {
        base: {strategy: request.strategy, strategyPath: request.strategiesDir, userDataDir: candles.userDataDir, ...bridgeDataFields(request), cache: 'none'},
        points: params.map((point, index) => ({runDir: pointDirs[index]!, params: point})),
        jobs: request.jobs,
      },
      ctx,
    )

    ctx.onEvent({type: 'stage', stage: 'results', status: 'start'})
    const results: BacktestResult[] = []
    for (const [index, point] of bridge.points.entries()) results.push(await keepBacktestResult(point, `${runId}-p${String(index + 1).padStart(4, '0')}`, pointDirs[index]!))
    const points = rankPoints(
      results.map((result, index) => ({index, params: params[index]!, metrics: result.metrics, runDir: result.runDir})),
      request.sortBy,
    )
    const first = results[0]!
    const best = points[0]!
    const result: SweepResult = {
      kind: 'sweep',
      runId,
      strategy: first.strategy,
      strategyClass: first.strategyClass,
      grid: Object.fromEntries(request.grid.map((axis) => [axis.name, axis.values])),
      sortBy: request.sortBy,
      points,
      best: {params: best.params, metrics: best.metrics},
      exchange: first.exchange,
      timeframe: first.timeframe,
      timerange: first.timerange,
      pairs: first.pairs,
      stakeCurrency: first.stakeCurrency,
      jobs: request.jobs,
      runDir,
      durationSeconds: (Date.now() - started) / 1000,
      engine: first.engine,
      ...(candles.candleSource ? {candleSource: candles.candleSource} : {}),
    }
    await writeFile(path.join(runDir, 'tradai-sweep.json'), `${JSON.stringify(result, null, 2)}\n`)
    ctx.onEvent({type: 'stage', stage: 'results', status: 'done'})
    return result
  })
}
