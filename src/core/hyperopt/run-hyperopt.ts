import {randomBytes} from 'node:crypto'
import {mkdir, writeFile} from 'node:fs/promises'
import path from 'node:path'

import type {EnginePort} from '../ports/engine.js'
import {bridgeDataFields} from '../backtest/request.js'
import type {CandleSourceRecord} from '../data/arctic-store.js'
import {CANDLE_SOURCE_STAGES, candlesForRun, coveringTimerange, type CandleNeed} from '../data/arctic-cache.js'
import type {CoreContext} from '../events.js'
import {redactUrl} from '../redact.js'
import {validateHyperoptRequest, validateWorkerRequest, type HyperoptRequest, type WorkerRequest} from './request.js'
import type {BridgeHyperoptResult, HyperoptResult} from './result.js'
import {journalFile, lockJournalStudy} from './study-lock.js'

export const HYPEROPT_STAGES = [
  {id: 'engine', title: 'Python engine'},
  ...CANDLE_SOURCE_STAGES,
  {id: 'validate', title: 'Validate the request'},
  {id: 'strategy', title: 'Load the strategy'},
  {id: 'data', title: 'Load candles and compute indicators (once per worker)'},
  {id: 'trials', title: 'Optimize'},
  {id: 'oos', title: 'Out-of-sample check'},
  {id: 'tracking', title: 'Record in MLflow'},
]

function stamp(now = new Date()): string {
  return now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)
}

export function newHyperoptRunId(now = new Date()): string {
  return `ho-${stamp(now)}-${randomBytes(3).toString('hex')}`
}

/** A new study's default name: the strategy and the time it started. */
export function defaultStudyName(strategy: string, now = new Date()): string {
  return `${strategy.replace(/[^A-Za-z0-9_.-]/g, '_')}-${stamp(now)}`
}

/**
 * `tradai hyperopt run`: adds `epochs` trials to a study (new or continued) with the Optuna
 * engine, or runs Freqtrade's own hyperopt; then the best params, Pareto front, out-of-sample
 * check and params file. The run folder keeps the config, every trial of this run and the result.
 */
export async function runHyperopt(request: HyperoptRequest, engine: EnginePort, ctx: CoreContext): Promise<{result: HyperoptResult; bridge: BridgeHyperoptResult}> {
  ctx.onEvent({type: 'stage', stage: 'validate', status: 'start'})
  validateHyperoptRequest(request)
  const runId = newHyperoptRunId()
  const runDir = path.join(request.outputDir, runId)
  await mkdir(runDir, {recursive: true})
  const study = request.study ?? defaultStudyName(request.strategy)
  const journal = request.storage ? undefined : journalFile(request.studiesDir, study)
  ctx.onEvent({type: 'stage', stage: 'validate', status: 'done', message: request.engine === 'optuna' ? `study ${study}` : undefined})

  const release = journal && request.engine === 'optuna' ? lockJournalStudy(journal) : () => {}
  try {
    // Every worker (--jobs) reads the one cache: the study's range and the out-of-sample range.
    const span = request.timerange === undefined ? undefined : coveringTimerange(request.timerange, request.oosTimerange)
    const candles = await candlesForRun({...request, timerange: span}, runDir, engine, ctx)
    const bridge = await engine.run(
      request.engine === 'optuna' ? 'hyperopt-optuna' : 'hyperopt-freqtrade',
      {
        runId,
        runDir,
        study,
        storage: request.storage ?? null,
        journalFile: journal ?? null,
        strategy: request.strategy,
        strategyPath: request.strategiesDir,
        userDataDir: candles.userDataDir,
        ...bridgeDataFields(request),
        epochs: request.epochs,
        jobs: request.jobs,
        seed: request.seed ?? null,
        spaces: request.spaces,
        loss: request.loss,
        minTrades: request.minTrades,
        sampler: request.sampler ?? null,
        objectives: request.objectives?.length ? request.objectives : null,
        oosTimerange: request.oosTimerange ?? null,
        oosFraction: request.oosFraction ?? null,
        finish: {export: request.export, topK: request.topK},
        cache: 'none',
      },
      ctx,
    )
    const result = await keep(bridge, runId, runDir, candles.candleSource)
    return {result, bridge}
  } finally {
    release()
  }
}

/**
 * `tradai hyperopt worker`: joins an existing study and adds `epochs` trials to it. The study
 * says what is optimized (strategy, spaces, loss, candles); this machine supplies the strategy
 * folder and the candles.
 */
export async function runHyperoptWorker(
  request: WorkerRequest & {problem?: Record<string, unknown> | null},
  engine: EnginePort,
  ctx: CoreContext,
): Promise<{result: HyperoptResult; bridge: BridgeHyperoptResult}> {
  ctx.onEvent({type: 'stage', stage: 'validate', status: 'start'})
  validateWorkerRequest(request)
  const runId = newHyperoptRunId()
  const runDir = path.join(request.outputDir, runId)
  await mkdir(runDir, {recursive: true})
  const journal = request.storage ? undefined : journalFile(request.studiesDir, request.study)
  ctx.onEvent({type: 'stage', stage: 'validate', status: 'done'})
  const release = journal ? lockJournalStudy(journal) : () => {}
  try {
    // The study says what its trials read (strategy, pairs, timeframe, range); from ArcticDB this
    // worker reads exactly that into its own run folder, like `hyperopt run` did.
    const candles = await candlesForRun(workerCandleNeed(request), runDir, engine, ctx)
    const bridge = await engine.run(
      'hyperopt-optuna',
      {
        runId,
        runDir,
        join: true,
        study: request.study,
        storage: request.storage ?? null,
        journalFile: journal ?? null,
        strategyPath: request.strategiesDir,
        userDataDir: candles.userDataDir,
        epochs: request.epochs,
        jobs: request.jobs,
        seed: request.seed ?? null,
        sampler: request.sampler ?? null,
      },
      ctx,
    )
    return {result: await keep(bridge, runId, runDir, candles.candleSource), bridge}
  } finally {
    release()
  }
}

/** What a joining worker reads: the study's own problem (its creator's strategy, pairs, timeframe and in-sample range). */
function workerCandleNeed(request: WorkerRequest & {problem?: Record<string, unknown> | null}): CandleNeed {
  const problem = request.problem ?? {}
  const text = (name: string) => (typeof problem[name] === 'string' ? (problem[name] as string) : undefined)
  const pairs = Array.isArray(problem.pairs) ? (problem.pairs as string[]) : undefined
  return {
    strategy: text('strategy') ?? '',
    strategiesDir: request.strategiesDir,
    userDataDir: request.userDataDir,
    exchange: text('exchange'),
    pairs,
    timeframe: text('timeframe'),
    timerange: text('timerange'),
    candleStore: request.candleStore,
  }
}

async function keep(bridge: BridgeHyperoptResult, runId: string, runDir: string, candleSource?: CandleSourceRecord): Promise<HyperoptResult> {
  const result: HyperoptResult = {
    study: bridge.study,
    engine: bridge.engine,
    epochs: bridge.epochs,
    completedTrials: bridge.completedTrials,
    bestLoss: bridge.bestLoss,
    bestParams: bridge.bestParams,
    bestMetrics: bridge.bestMetrics,
    oos: bridge.oos,
    paretoFront: bridge.paretoFront,
    paramsFile: bridge.paramsFile,
    bestTrial: bridge.bestTrial,
    storage: bridge.engine === 'optuna' && /^postgres/i.test(bridge.storage) ? redactUrl(bridge.storage) : bridge.storage,
    strategy: bridge.strategy,
    spaces: bridge.spaces,
    loss: bridge.loss,
    objectives: bridge.objectives,
    sampler: bridge.sampler,
    failedOrphans: bridge.failedOrphans,
    timerange: bridge.timerange,
    runId,
    runDir,
    epochsPerSecond: bridge.epochsPerSecond,
    durationSeconds: bridge.durationSeconds,
    ...(candleSource ? {candleSource} : {}),
  }
  // The run folder explains the run: the result and every trial this run added.
  await writeFile(path.join(runDir, 'tradai-hyperopt.json'), `${JSON.stringify({...result, trials: bridge.trials}, null, 2)}\n`)
  return result
}
