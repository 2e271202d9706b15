import path from 'node:path'

import type {ParamValue} from '../backtest/request.js'
import type {StrategyStats} from '../backtest/freqtrade-result.js'
import {toMetrics} from '../backtest/metrics.js'
import type {ArcticStore, CandleSourceRecord} from '../data/arctic-store.js'
import {keepBacktestResult} from '../backtest/run-backtest.js'
import type {CriterionMetric} from '../challenge/criteria.js'
import type {SettingSource} from '../backtest/request.js'
import type {CoreContext} from '../events.js'
import {validateStorageUrl, validateStudyName} from '../hyperopt/request.js'
import {journalFile, lockJournalStudy} from '../hyperopt/study-lock.js'
import type {EnginePort, RequestOf} from '../ports/engine.js'
import {redactUrl} from '../redact.js'
import {pointDirName, type GridAxis} from './grid.js'
import {runSweep, sweepHeader, validateSortBy, type PointsOutcome, type SweepRequest, type SweepResult} from './run-sweep.js'

/** --storage (a PostgreSQL URL many machines share) and --study; without --storage a journal file in studiesDir. */
export interface SweepStudyLocation {
  /** Default: the sweep's run id. */
  name?: string
  storage?: string
  studiesDir: string
  /** A worker (`hyperopt worker`): the study must exist; its sweep is read from it. */
  join?: boolean
}

/**
 * --storage / --study (or an API body's storage / study) as a study location, checked now so a bad
 * value is a usage error naming it before anything runs; undefined when neither is given (the sweep
 * runs in this process).
 */
export function sweepStudyLocation(storage: string | undefined, name: string | undefined, studiesDir: string): SweepStudyLocation | undefined {
  if (storage === undefined && name === undefined) return undefined
  if (storage !== undefined) validateStorageUrl(storage)
  if (name !== undefined) validateStudyName(name)
  return {name, storage, studiesDir}
}

export interface SweepStudyInfo {
  name: string
  /** The storage (its password hidden) or the journal file. */
  storage: string
  /** Points this process backtested; the others ran in other processes (or an earlier run of the study). */
  pointsHere: number
}

export interface StudyPointsRequest {
  runId: string
  runDir: string
  base: RequestOf<'sweep-study'>['base']
  grid: GridAxis[]
  /** The grid's points in cartesian order, and each one's local run folder. */
  params: Array<Record<string, ParamValue>>
  pointDirs: string[]
  sortBy: CriterionMetric
  jobs: number
  location: SweepStudyLocation
  /** A worker: the study must exist. */
  join: boolean
  /** With `data.source: arcticdb`: what was read (symbol versions); the study records it and refuses other candles. */
  candleSource?: CandleSourceRecord
}

/**
 * A sweep through an Optuna study (the engine's `sweep-study`: GridSampler, every grid point queued
 * once, taken by exactly one process): this process backtests the points it takes, then the
 * result is read from the study once every point is done, wherever it ran. Each point's metrics
 * are Freqtrade's stats of its backtest as stored with its trial, so they are the numbers of a
 * plain `strategy backtest --param` (toMetrics, as for a backtest); the points run here also keep
 * their full run folder under this run's folder.
 */
export async function runPointsOnStudy(request: StudyPointsRequest, engine: EnginePort, ctx: CoreContext): Promise<PointsOutcome> {
  const {location} = request
  const name = location.name ?? request.runId
  validateStudyName(name)
  if (location.storage) validateStorageUrl(location.storage)
  const journal = location.storage ? undefined : journalFile(location.studiesDir, name)
  // A journal study has no heartbeats: one process at a time, which fails what a stopped run left running.
  const release = journal ? lockJournalStudy(journal) : () => {}
  let bridge
  try {
    bridge = await engine.run(
      'sweep-study',
      {
        runId: request.runId,
        runDir: request.runDir,
        study: name,
        storage: location.storage ?? null,
        journalFile: journal ?? null,
        join: request.join,
        base: request.base,
        grid: request.grid.map((axis) => ({name: axis.name, values: axis.values})),
        points: request.params.map((params, index) => ({runDir: request.pointDirs[index]!, params})),
        sortBy: request.sortBy,
        jobs: request.jobs,
        // A plain record for the contract's open object (an interface has no index signature).
        candles: request.candleSource ? ({...request.candleSource} as Record<string, unknown> & {source: string}) : null,
      },
      ctx,
    )
  } finally {
    release()
  }

  ctx.onEvent({type: 'stage', stage: 'results', status: 'start'})
  for (const {index, result} of bridge.ran) await keepBacktestResult(result, `${request.runId}-${pointDirName(index)}`, request.pointDirs[index]!)
  return {
    points: bridge.points.map((point) => ({
      index: point.index,
      params: request.params[point.index]!,
      // The stats file's scalar fields, stored with the trial: what readStrategyStats gives toMetrics for a backtest.
      metrics: toMetrics(point.stats as unknown as StrategyStats),
      runDir: point.point.runDir,
    })),
    header: sweepHeader(bridge.points[0]!.point),
    study: {name, storage: location.storage ? redactUrl(location.storage) : path.resolve(journal!), pointsHere: bridge.ran.length},
  }
}

/** What a sweep's study keeps about the sweep (`hyperopt-studies` detail `sweep`): enough for a worker to run it. */
export interface StoredSweep {
  strategy: string
  grid: GridAxis[]
  sortBy: string
  /** The candles and account: the backtest's data fields (null = the strategy's own). */
  problem: Record<string, unknown>
  settingSources?: Record<string, SettingSource> | null
}

export interface SweepWorkerRequest {
  study: string
  storage?: string
  studiesDir: string
  strategiesDir: string
  userDataDir: string
  outputDir: string
  jobs: number
  /** With `data.source: arcticdb`: the sweep's candles are read from this store into the worker's run folder. */
  candleStore?: ArcticStore
}

/**
 * `tradai hyperopt worker` on a sweep's study: the same sweep (strategy, grid, candles from the
 * study; strategy folder and candles from this machine) joining the study: this process takes
 * queued points until none is left and waits for the rest, then prints the whole sweep. Its
 * points are recorded in MLflow by the `strategy sweep` run, not here.
 */
export async function runSweepWorker(request: SweepWorkerRequest, stored: StoredSweep, engine: EnginePort, ctx: CoreContext): Promise<SweepResult> {
  const field = <T>(name: string) => (stored.problem[name] ?? undefined) as T | undefined
  const sweep: SweepRequest = {
    strategy: stored.strategy,
    strategiesDir: request.strategiesDir,
    userDataDir: request.userDataDir,
    outputDir: request.outputDir,
    grid: stored.grid,
    jobs: request.jobs,
    sortBy: validateSortBy(stored.sortBy),
    maxPoints: Number.POSITIVE_INFINITY, // the sweep's creator checked its size
    confirmed: true,
    exchange: field('exchange'),
    pairs: field('pairs'),
    timeframe: field('timeframe'),
    timerange: field('timerange'),
    stakeCurrency: field('stakeCurrency'),
    stakeAmount: field('stakeAmount'),
    startingBalance: field('startingBalance'),
    maxOpenTrades: field('maxOpenTrades'),
    fee: field('fee'),
    freqtradeConfig: field('freqtradeConfig') ?? [],
    settingSources: stored.settingSources ?? {},
    candleStore: request.candleStore,
    study: {name: request.study, storage: request.storage, studiesDir: request.studiesDir, join: true},
  }
  const result = await runSweep(sweep, engine, ctx)
  ctx.onEvent({type: 'stage', stage: 'tracking', status: 'skip', message: 'recorded by the strategy sweep run'})
  return {
    ...result,
    tracking: {
      status: 'disabled',
      runId: null,
      experimentId: null,
      url: null,
      reason: "a worker's points are recorded in MLflow by the `strategy sweep` run of the study",
      childRuns: 0,
      queuedChildRuns: 0,
    },
  }
}
