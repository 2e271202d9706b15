import {randomBytes} from 'node:crypto'
import {writeFile} from 'node:fs/promises'
import path from 'node:path'

import type {EnginePort, RequestOf, ResultOf} from '../ports/engine.js'
import {CANDLE_SOURCE_STAGES, candlesForRun} from '../data/arctic-cache.js'
import type {CandleSourceRecord} from '../data/arctic-store.js'
import type {CoreContext} from '../events.js'
import {createRunFolder, keepRunStatus} from '../runs/status.js'
import type {TrackingOutcome} from '../tracking/port.js'
import {equitySvg, markdownSummary} from '../tracking/report-files.js'
import {readStrategyStats} from './freqtrade-result.js'
import {equityCurve, toMetrics, toTableRows, type BacktestMetrics, type EquityPoint, type TableRow} from './metrics.js'
import {bridgeDataFields, validateBacktestRequest, type BacktestRequest} from './request.js'

/** What the bridge's `backtest` operation returns (docs/bridge-protocol.md). */
export interface BridgeBacktestResult {
  runDir: string
  configFile: string
  /** config-sources.json: which file, flag or default each key of config.json came from. */
  configSourcesFile: string
  resultFile: string
  statsFile: string
  strategyFiles: string[]
  marketsSource: 'snapshot' | 'synthesized'
  marketsFile: string | null
  strategy: {
    name: string
    className: string
    file: string
    baseClass: string
    metadata: Record<string, unknown> | null
    params: Record<string, Record<string, unknown>>
  }
  exchange: string
  timeframe: string
  timerange: string
  pairs: string[]
  stakeCurrency: string
  engine: {freqtrade: string}
  /** Missing informative data (under allowMissingInformative) and Freqtrade's WARNING+ log records. */
  warnings?: string[]
}

export interface BacktestResult {
  runId: string
  strategy: string
  strategyClass: string
  strategyFile: string
  strategyVersion: string | null
  exchange: string
  timeframe: string
  /** null: no timerange was asked for, the run covered every candle (see `period`). */
  timerange: string | null
  /** First and last candle the backtest covered (Freqtrade's backtest_start / backtest_end). */
  period: {start: string; end: string}
  pairs: string[]
  stakeCurrency: string
  params: Record<string, Record<string, unknown>>
  metrics: BacktestMetrics
  perPair: TableRow[]
  exitReasons: TableRow[]
  equityCurve: EquityPoint[]
  marketsSource: 'snapshot' | 'synthesized'
  runDir: string
  resultFile: string
  configFile: string
  configSourcesFile: string
  strategyFiles: string[]
  engine: {freqtrade: string}
  /** The run's human reports, written for every run (tracked or not). */
  reports: {summary: string; equityChart: string}
  /** Engine warnings: missing informative data (with --allow-missing-informative), Freqtrade's WARNING+ log records. */
  warnings: string[]
  /** The run's HTML report (`<runDir>/report.html`); set by runTrackedBacktest. */
  reportFile?: string
  /** With `data.source: arcticdb`: the store, library and symbol versions the run read. */
  candleSource?: CandleSourceRecord
  /** Where the run was recorded (MLflow, the outbox, or nowhere); set by runTrackedBacktest. */
  tracking?: TrackingOutcome
}

export const BACKTEST_STAGES = [
  {id: 'engine', title: 'Python engine'},
  CANDLE_SOURCE_STAGES[0]!,
  {id: 'validate', title: 'Validate the request'},
  CANDLE_SOURCE_STAGES[1]!,
  {id: 'strategy', title: 'Load the strategy'},
  {id: 'data', title: 'Load candles'},
  {id: 'backtest', title: 'Backtest'},
  {id: 'results', title: 'Read the results'},
  {id: 'tracking', title: 'Record in MLflow'},
]

export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)
  return `bt-${stamp}-${randomBytes(3).toString('hex')}`
}

/**
 * Runs one Freqtrade backtest through the engine and reads Freqtrade's own result file.
 * Everything needed to reproduce the run stays in `<outputDir>/<runId>/`.
 */
export async function runBacktest(
  request: BacktestRequest,
  engine: EnginePort,
  ctx: CoreContext,
  /** How the engine's `backtest` is run (default: its own op); `shadow report` folds it into one process with its db read. */
  call: (bridgeRequest: RequestOf<'backtest'>) => Promise<ResultOf<'backtest'>> = async (bridgeRequest) => engine.run('backtest', bridgeRequest, ctx),
): Promise<BacktestResult> {
  ctx.onEvent({type: 'stage', stage: 'validate', status: 'start'})
  validateBacktestRequest(request)
  const runId = newRunId()
  const runDir = path.join(request.outputDir, runId)
  await createRunFolder(runDir, request.outputDir)
  ctx.onEvent({type: 'stage', stage: 'validate', status: 'done'})
  // A failed or interrupted run keeps its folder with a status file saying so (`tradai runs list`).
  return keepRunStatus({runId, runDir, kind: 'backtest', strategy: request.strategy, signal: ctx.signal}, async () => {
    const candles = await candlesForRun(request, runDir, engine, ctx)
    const bridge = await call({
      runDir,
      strategy: request.strategy,
      strategyPath: request.strategiesDir,
      userDataDir: candles.userDataDir,
      ...bridgeDataFields(request),
      params: request.params,
      cache: 'none',
      allowMissingInformative: Boolean(request.allowMissingInformative),
      strictData: Boolean(request.strictData),
    })
    return keepBacktestResult(bridge, runId, runDir, candles.candleSource)
  })
}

/**
 * Reads Freqtrade's stats of one finished engine backtest into tradai's result and writes it
 * beside Freqtrade's files. A single backtest and every point of a sweep go through here.
 */
export async function keepBacktestResult(bridge: ResultOf<'backtest'>, runId: string, runDir: string, candleSource?: CandleSourceRecord): Promise<BacktestResult> {
  const stats = await readStrategyStats(bridge.statsFile, bridge.strategy.className)
  const result: BacktestResult = {
    runId,
    strategy: bridge.strategy.name,
    strategyClass: bridge.strategy.className,
    strategyFile: bridge.strategy.file,
    strategyVersion: typeof bridge.strategy.metadata?.version === 'string' ? bridge.strategy.metadata.version : null,
    exchange: bridge.exchange,
    timeframe: bridge.timeframe,
    timerange: bridge.timerange,
    period: {start: stats.backtest_start, end: stats.backtest_end},
    pairs: bridge.pairs,
    stakeCurrency: bridge.stakeCurrency,
    params: bridge.strategy.params,
    metrics: toMetrics(stats),
    perPair: toTableRows(stats.results_per_pair),
    exitReasons: toTableRows(stats.exit_reason_summary),
    equityCurve: equityCurve(stats),
    marketsSource: bridge.marketsSource,
    runDir,
    resultFile: bridge.resultFile,
    configFile: bridge.configFile,
    configSourcesFile: bridge.configSourcesFile,
    strategyFiles: bridge.strategyFiles,
    engine: bridge.engine,
    warnings: bridge.warnings ?? [],
    reports: {summary: path.join(runDir, 'summary.md'), equityChart: path.join(runDir, 'equity.svg')},
    ...(candleSource ? {candleSource} : {}),
  }
  // The summary beside Freqtrade's own files: the run folder alone explains the run.
  await writeFile(path.join(runDir, 'tradai-result.json'), `${JSON.stringify(result, null, 2)}\n`)
  await writeFile(result.reports.summary, markdownSummary(result))
  await writeFile(result.reports.equityChart, equitySvg(result.equityCurve, result.stakeCurrency, `${result.strategy} ${result.runId}: balance after each closed trade`))
  return result
}
