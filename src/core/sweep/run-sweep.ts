import {randomBytes} from 'node:crypto'
import {writeFile} from 'node:fs/promises'
import path from 'node:path'

import type {EnginePort, ResultOf} from '../ports/engine.js'
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
import {checkGridSize, gridPoints, pointDirName, type GridAxis} from './grid.js'
import {runPointsOnStudy, type SweepStudyInfo, type SweepStudyLocation} from './study-sweep.js'

export interface SweepRequest extends BacktestDataSettings {
  strategy: string
  strategiesDir: string
  grid: GridAxis[]
  jobs: number
  sortBy: CriterionMetric
  maxPoints: number
  /** --yes: run a grid larger than maxPoints. */
  confirmed: boolean
  /** --storage / --study: the sweep is an Optuna study that other processes can join (study-sweep.ts). */
  study?: SweepStudyLocation
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
  /** A shared sweep (--storage/--study): its study and how many points this process ran. */
  study?: SweepStudyInfo
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

/** A shared sweep (--storage/--study): the study is opened (or created) before the points run. */
export const SWEEP_STUDY_STAGES = SWEEP_STAGES.flatMap((stage) =>
  stage.id === 'backtest'
    ? [
        {id: 'study', title: 'Open the study (every grid point queued once)'},
        {id: 'backtest', title: 'Backtest the queued points (warm engine) and wait for the rest'},
      ]
    : [stage],
)

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
  const pointDirs = params.map((_, index) => path.join(runDir, 'points', pointDirName(index)))
  await createRunFolder(runDir, request.outputDir)
  return keepRunStatus({runId, runDir, kind: 'sweep', strategy: request.strategy}, async () => {
    ctx.onEvent({type: 'stage', stage: 'validate', status: 'done', message: `${params.length} point(s)`})
    const candles = await candlesForRun(request, runDir, engine, ctx)

    const base = {strategy: request.strategy, strategyPath: request.strategiesDir, userDataDir: candles.userDataDir, ...bridgeDataFields(request), cache: 'none' as const}
    const outcome = request.study
      ? await runPointsOnStudy(
          {
            runId,
            runDir,
            base,
            grid: request.grid,
            params,
            pointDirs,
            sortBy: request.sortBy,
            jobs: request.jobs,
            location: request.study,
            join: request.study.join ?? false,
            candleSource: candles.candleSource,
          },
          engine,
          ctx,
        )
      : await runPointsInBatch(runId, base, params, pointDirs, request.jobs, engine, ctx)
    const result: SweepResult = {
      ...sweepResult(runId, runDir, request.grid, request.sortBy, request.jobs, outcome, started),
      ...(candles.candleSource ? {candleSource: candles.candleSource} : {}),
    }
    await writeFile(path.join(runDir, 'tradai-sweep.json'), `${JSON.stringify(result, null, 2)}\n`)
    ctx.onEvent({type: 'stage', stage: 'results', status: 'done'})
    return result
  })
}

/** The points' metrics and the header every point shares (strategy, candles, engine). */
export interface PointsOutcome {
  points: SweepPoint[]
  header: Pick<SweepResult, 'strategy' | 'strategyClass' | 'exchange' | 'timeframe' | 'timerange' | 'pairs' | 'stakeCurrency' | 'engine'>
  study?: SweepStudyInfo
}

/** Without a study: every point in this process's warm engine (`backtest-batch`). */
async function runPointsInBatch(
  runId: string,
  base: Record<string, unknown> & {strategy: string; strategyPath: string; userDataDir: string},
  params: Array<Record<string, ParamValue>>,
  pointDirs: string[],
  jobs: number,
  engine: EnginePort,
  ctx: CoreContext,
): Promise<PointsOutcome> {
  const bridge = await engine.run('backtest-batch', {base, points: params.map((point, index) => ({runDir: pointDirs[index]!, params: point})), jobs}, ctx)
  ctx.onEvent({type: 'stage', stage: 'results', status: 'start'})
  const results: BacktestResult[] = []
  for (const [index, point] of bridge.points.entries()) results.push(await keepBacktestResult(point, `${runId}-${pointDirName(index)}`, pointDirs[index]!))
  return {
    points: results.map((result, index) => ({index, params: params[index]!, metrics: result.metrics, runDir: result.runDir})),
    header: sweepHeader(bridge.points[0]!),
  }
}

type HeaderSource = Pick<ResultOf<'backtest'>, 'exchange' | 'timeframe' | 'timerange' | 'pairs' | 'stakeCurrency' | 'engine'> & {strategy: {name: string; className: string}}
/** What every point shares, from one point's engine result (in-process and study sweeps alike). */
export function sweepHeader(point: HeaderSource): PointsOutcome['header'] {
  return {
    strategy: point.strategy.name,
    strategyClass: point.strategy.className,
    exchange: point.exchange,
    timeframe: point.timeframe,
    timerange: point.timerange,
    pairs: point.pairs,
    stakeCurrency: point.stakeCurrency,
    engine: point.engine,
  }
}

/** The sweep's result: the points ranked by sortBy, the best first. */
export function sweepResult(runId: string, runDir: string, grid: GridAxis[], sortBy: CriterionMetric, jobs: number, outcome: PointsOutcome, started: number): SweepResult {
  const points = rankPoints(outcome.points, sortBy)
  const best = points[0]!
  return {
    kind: 'sweep',
    runId,
    ...outcome.header,
    grid: Object.fromEntries(grid.map((axis) => [axis.name, axis.values])),
    sortBy,
    points,
    best: {params: best.params, metrics: best.metrics},
    jobs,
    runDir,
    durationSeconds: (Date.now() - started) / 1000,
    ...(outcome.study ? {study: outcome.study} : {}),
  }
}
