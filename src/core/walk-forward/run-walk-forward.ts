import {randomBytes} from 'node:crypto'
import {writeFile} from 'node:fs/promises'
import path from 'node:path'

import type {EnginePort} from '../ports/engine.js'
import type {BacktestMetrics, EquityPoint} from '../backtest/metrics.js'
import {bridgeDataFields, validateBacktestRequest, type BacktestDataSettings, type ParamValue} from '../backtest/request.js'
import {keepBacktestResult, type BacktestResult} from '../backtest/run-backtest.js'
import {CANDLE_SOURCE_STAGES, candlesForRun} from '../data/arctic-cache.js'
import type {CandleSourceRecord} from '../data/arctic-store.js'
import {listData} from '../data/list-data.js'
import {NotFoundError, UsageError} from '../errors.js'
import type {CoreContext} from '../events.js'
import {validateHyperoptRequest} from '../hyperopt/request.js'
import {runHyperopt} from '../hyperopt/run-hyperopt.js'
import {createRunFolder, keepRunStatus} from '../runs/status.js'
import type {FamilyTrackingOutcome} from '../tracking/track-family.js'
import {planWindows, spanDays, type WindowPlan} from './windows.js'

/** Spaces whose values are strategy parameters, so a backtest can replay them with --param. */
export const WALK_FORWARD_SPACES = ['buy', 'sell', 'protection'] as const

export interface WalkForwardRequest extends BacktestDataSettings {
  strategy: string
  strategiesDir: string
  studiesDir: string
  trainDays: number
  testDays: number
  windows?: number
  anchored: boolean
  epochs: number
  spaces: string[]
  loss: string
  seed?: number
  jobs: number
  minTrades: number
}

export interface WalkForwardWindow {
  index: number
  train: {timerange: string; days: number}
  test: {timerange: string; days: number}
  study: string
  /** The best trial's values, flat (name: value); null when no trial completed (defaults used). */
  bestParams: Record<string, ParamValue> | null
  inSample: {metrics: BacktestMetrics; runDir: string}
  outOfSample: {metrics: BacktestMetrics; runDir: string}
  /** OOS return per day ÷ IS return per day (null when the in-sample return is not positive). */
  efficiency: number | null
}

export interface WalkForwardResult {
  kind: 'walk-forward'
  runId: string
  strategy: string
  trainDays: number
  testDays: number
  anchored: boolean
  epochs: number
  spaces: string[]
  loss: string
  pairs: string[]
  timeframe: string
  windows: WalkForwardWindow[]
  aggregate: {
    efficiency: number | null
    oosProfitTotal: number
    oosProfitTotalAbs: number
    oosMaxDrawdown: number
    oosTotalTrades: number
    isProfitTotal: number
  }
  /** Each parameter's best value per window and how much it moved. */
  stability: Record<string, {values: Array<ParamValue | null>; mean: number | null; std: number | null; cv: number | null}>
  /** The out-of-sample equity of every window chained: one account trading each test segment in turn. */
  stitchedEquity: EquityPoint[]
  startingBalance: number
  runDir: string
  durationSeconds: number
  /** With `data.source: arcticdb`: the store, library and symbol versions every window read. */
  candleSource?: CandleSourceRecord
  tracking?: FamilyTrackingOutcome
}

export const WALK_FORWARD_STAGES = [
  {id: 'engine', title: 'Python engine'},
  ...CANDLE_SOURCE_STAGES,
  {id: 'validate', title: 'Plan the windows'},
  {id: 'windows', title: 'Optimize each train segment (Optuna)'},
  {id: 'backtest', title: 'Backtest best params in and out of sample (warm engine)'},
  {id: 'results', title: 'Read the results'},
  {id: 'tracking', title: 'Record in MLflow'},
]

export function newWalkForwardRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)
  return `wf-${stamp}-${randomBytes(3).toString('hex')}`
}

/** The candles' common span (every pair asked for, or every pair present) within --timerange. */
async function dataSpan(request: WalkForwardRequest, engine: EnginePort, ctx: CoreContext): Promise<{start: number; end: number}> {
  const listing = await listData({userDataDir: request.userDataDir, exchange: request.exchange ?? 'binance'}, engine, {...ctx, onEvent() {}})
  const files = listing.files.filter(
    (file) =>
      file.candleType === 'spot' &&
      file.first &&
      file.last &&
      (request.timeframe ? file.timeframe === request.timeframe : true) &&
      (request.pairs ? request.pairs.includes(file.pair) : true),
  )
  if (files.length === 0) {
    throw new NotFoundError(`No candles for ${request.pairs?.join(', ') ?? 'any pair'} in ${listing.dataDir}.`, {
      code: 'DATA_NOT_FOUND',
      suggestions: ['Import candles with `tradai data import` or fetch them with `tradai data download`.'],
    })
  }

  let {start, end} = spanDays(
    files
      .map((f) => f.first!)
      .sort()
      .at(-1)!,
    files.map((f) => f.last!).sort()[0]!,
  )
  const range = request.timerange ? /^(\d{8})?-(\d{8})?$/.exec(request.timerange) : null
  const parse = (text: string) => Date.parse(`${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}T00:00:00Z`)
  if (range?.[1]) start = Math.max(start, parse(range[1]))
  if (range?.[2]) end = Math.min(end, parse(range[2]))
  return {start, end}
}

const flatten = (params: Record<string, Record<string, unknown>> | null): Record<string, ParamValue> | null => (params ? Object.assign({}, ...Object.values(params)) : null)

const perDay = (metrics: BacktestMetrics, days: number) => metrics.profitTotal / days

/**
 * `tradai strategy walk-forward`: in every window an Optuna hyperopt (the existing engine) on the
 * train segment, then backtests of its best params on that train segment (in sample) and on the
 * test segment that follows (out of sample), all in one warm `backtest-batch`. The numbers are
 * Freqtrade's; the aggregate chains the out-of-sample segments into one equity curve.
 */
export async function runWalkForward(request: WalkForwardRequest, engine: EnginePort, ctx: CoreContext): Promise<WalkForwardResult> {
  const started = Date.now()
  ctx.onEvent({type: 'stage', stage: 'validate', status: 'start'})
  validateBacktestRequest({...request, params: {}})
  for (const space of request.spaces) {
    if (!(WALK_FORWARD_SPACES as readonly string[]).includes(space)) {
      throw new UsageError(`Walk-forward cannot use the "${space}" space: each window's best values are replayed as strategy parameters.`, {
        suggestions: [`Use --spaces with ${WALK_FORWARD_SPACES.join(', ')}.`],
      })
    }
  }

  const runId = newWalkForwardRunId()
  const runDir = path.join(request.outputDir, runId)
  const hyperoptBase = {
    engine: 'optuna' as const,
    strategy: request.strategy,
    strategiesDir: request.strategiesDir,
    userDataDir: request.userDataDir,
    outputDir: path.join(runDir, 'hyperopt'),
    exchange: request.exchange,
    pairs: request.pairs,
    timeframe: request.timeframe,
    stakeCurrency: request.stakeCurrency,
    stakeAmount: request.stakeAmount,
    startingBalance: request.startingBalance,
    maxOpenTrades: request.maxOpenTrades,
    fee: request.fee,
    epochs: request.epochs,
    spaces: request.spaces,
    loss: request.loss,
    jobs: request.jobs,
    seed: request.seed,
    minTrades: request.minTrades,
    studiesDir: request.studiesDir,
    topK: 1,
    export: false,
  }
  validateHyperoptRequest(hyperoptBase)
  await createRunFolder(runDir, request.outputDir)
  return keepRunStatus({runId, runDir, kind: 'walk-forward', strategy: request.strategy}, async () => {
    // From ArcticDB: the whole span asked for (every window's candles) is read once, before planning.
    const candles = await candlesForRun(request, runDir, engine, ctx)
    const userDataDir = candles.userDataDir
    const plans = planWindows(await dataSpan({...request, userDataDir}, engine, ctx), request)
    ctx.onEvent({type: 'stage', stage: 'validate', status: 'done', message: `${plans.length} window(s)`})

    ctx.onEvent({type: 'stage', stage: 'windows', status: 'start'})
    const optimized: Array<{plan: WindowPlan; study: string; bestParams: Record<string, ParamValue> | null}> = []
    for (const plan of plans) {
      ctx.onEvent({type: 'progress', stage: 'windows', current: plan.index, total: plans.length, message: `window ${plan.index + 1}: train ${plan.train.timerange}`})
      const study = `${runId}-w${plan.index + 1}`
      // Each window's trials are its own progress; only the window count reaches the tree.
      const quiet = {signal: ctx.signal, onEvent: (event: Parameters<typeof ctx.onEvent>[0]) => (event.type === 'log' && event.level !== 'debug' ? ctx.onEvent(event) : undefined)}
      const {result} = await runHyperopt({...hyperoptBase, userDataDir, timerange: plan.train.timerange, study}, engine, quiet)
      optimized.push({plan, study, bestParams: flatten(result.bestParams)})
    }

    ctx.onEvent({type: 'progress', stage: 'windows', current: plans.length, total: plans.length})
    ctx.onEvent({type: 'stage', stage: 'windows', status: 'done'})

    const windowDir = (index: number, part: 'in-sample' | 'out-of-sample') => path.join(runDir, 'windows', `w${index + 1}`, part)
    const points = optimized.flatMap(({plan, bestParams}) => [
      {runDir: windowDir(plan.index, 'in-sample'), params: bestParams ?? {}, timerange: plan.train.timerange},
      {runDir: windowDir(plan.index, 'out-of-sample'), params: bestParams ?? {}, timerange: plan.test.timerange},
    ])
    const bridge = await engine.run(
      'backtest-batch',
      {
        base: {strategy: request.strategy, strategyPath: request.strategiesDir, userDataDir, ...bridgeDataFields(request), cache: 'none'},
        points,
        jobs: request.jobs,
      },
      ctx,
    )

    ctx.onEvent({type: 'stage', stage: 'results', status: 'start'})
    const kept: BacktestResult[] = []
    for (const [index, point] of bridge.points.entries())
      kept.push(await keepBacktestResult(point, `${runId}-w${Math.floor(index / 2) + 1}-${index % 2 ? 'oos' : 'is'}`, points[index]!.runDir))
    const windows: WalkForwardWindow[] = optimized.map(({plan, study, bestParams}) => {
      const inSample = kept[plan.index * 2]!
      const outOfSample = kept[plan.index * 2 + 1]!
      const isDay = perDay(inSample.metrics, plan.train.days)
      return {
        index: plan.index,
        train: {timerange: plan.train.timerange, days: plan.train.days},
        test: {timerange: plan.test.timerange, days: plan.test.days},
        study,
        bestParams,
        inSample: {metrics: inSample.metrics, runDir: inSample.runDir},
        outOfSample: {metrics: outOfSample.metrics, runDir: outOfSample.runDir},
        efficiency: isDay > 0 ? perDay(outOfSample.metrics, plan.test.days) / isDay : null,
      }
    })
    const oos = kept.filter((_, index) => index % 2 === 1)
    const startingBalance = oos[0]!.metrics.startingBalance
    const stitchedEquity = stitch(oos, startingBalance)
    const oosDays = windows.reduce((sum, w) => sum + w.test.days, 0)
    const isDays = windows.reduce((sum, w) => sum + w.train.days, 0)
    const oosProfitTotalAbs = oos.reduce((sum, r) => sum + r.metrics.profitTotalAbs, 0)
    const isProfitTotal = windows.reduce((sum, w) => sum + w.inSample.metrics.profitTotal, 0)
    const oosProfitTotal = oosProfitTotalAbs / startingBalance
    const isPerDay = isProfitTotal / isDays
    const result: WalkForwardResult = {
      kind: 'walk-forward',
      runId,
      strategy: kept[0]!.strategy,
      trainDays: request.trainDays,
      testDays: request.testDays,
      anchored: Boolean(request.anchored),
      epochs: request.epochs,
      spaces: request.spaces,
      loss: request.loss,
      pairs: kept[0]!.pairs,
      timeframe: kept[0]!.timeframe,
      windows,
      aggregate: {
        efficiency: isPerDay > 0 ? oosProfitTotal / oosDays / isPerDay : null,
        oosProfitTotal,
        oosProfitTotalAbs,
        oosMaxDrawdown: maxDrawdown(stitchedEquity),
        oosTotalTrades: oos.reduce((sum, r) => sum + r.metrics.totalTrades, 0),
        isProfitTotal,
      },
      stability: stability(windows),
      stitchedEquity,
      startingBalance,
      runDir,
      durationSeconds: (Date.now() - started) / 1000,
      ...(candles.candleSource ? {candleSource: candles.candleSource} : {}),
    }
    await writeFile(path.join(runDir, 'tradai-walk-forward.json'), `${JSON.stringify(result, null, 2)}\n`)
    ctx.onEvent({type: 'stage', stage: 'results', status: 'done'})
    return result
  })
}

/** One account trading each test segment in turn: every window's trades on top of the last balance. */
export function stitch(segments: BacktestResult[], startingBalance: number): EquityPoint[] {
  const points: EquityPoint[] = [{date: segments[0]?.equityCurve[0]?.date ?? new Date(0).toISOString(), balance: startingBalance}]
  let carried = 0
  for (const segment of segments) {
    for (const point of segment.equityCurve.slice(1)) points.push({date: point.date, balance: point.balance - segment.metrics.startingBalance + startingBalance + carried})
    carried += segment.metrics.profitTotalAbs
  }

  return points
}

/** The largest fall from a running peak, as a ratio of that peak. */
export function maxDrawdown(curve: EquityPoint[]): number {
  let peak = -Infinity
  let worst = 0
  for (const {balance} of curve) {
    peak = Math.max(peak, balance)
    if (peak > 0) worst = Math.max(worst, (peak - balance) / peak)
  }

  return worst
}

function stability(windows: WalkForwardWindow[]): WalkForwardResult['stability'] {
  const names = [...new Set(windows.flatMap((w) => Object.keys(w.bestParams ?? {})))].sort()
  return Object.fromEntries(
    names.map((name) => {
      const values = windows.map((w) => w.bestParams?.[name] ?? null)
      const numeric = values.filter((v): v is number => typeof v === 'number')
      if (numeric.length === 0) return [name, {values, mean: null, std: null, cv: null}]
      const mean = numeric.reduce((a, b) => a + b, 0) / numeric.length
      const std = Math.sqrt(numeric.reduce((a, b) => a + (b - mean) ** 2, 0) / numeric.length)
      return [name, {values, mean, std, cv: mean === 0 ? null : std / Math.abs(mean)}]
    }),
  )
}
