import {readFile, writeFile} from 'node:fs/promises'
import path from 'node:path'

import type {EnginePort} from '../ports/engine.js'
import {attest, digestOf} from '../attestation/attestation.js'
import type {GateKey} from '../attestation/key.js'
import {recordAttestation} from '../attestation/store.js'
import {readStrategyStats} from '../backtest/freqtrade-result.js'
import {equityCurve, toMetrics, type BacktestMetrics, type EquityPoint} from '../backtest/metrics.js'
import type {BacktestDataSettings} from '../backtest/request.js'
import {runBacktest} from '../backtest/run-backtest.js'
import type {TradaiConfig} from '../config/schema.js'
import {BugError, CheckFailedError} from '../errors.js'
import {inStage, type CoreContext} from '../events.js'
import type {RegistryPort} from '../registry/port.js'
import {RUN_KIND, VERSION_TAG} from '../registry/tags.js'
import {deliverRun} from '../tracking/deliver.js'
import {experimentName} from '../tracking/paths.js'
import type {RunContext} from '../tracking/run-context.js'
import {computeDrift, type Drift, type DriftTrade} from './drift.js'
import {evaluateShadowGate, type ShadowGate, type ShadowGateInput, type ShadowGatePolicy} from './gate.js'
import {readSession, sessionFiles, sessionSummary, shadowRoot, type ShadowSessionSummary} from './session.js'
import {readShadowTradesFile, shadowReadRequest, type ShadowOrder, type ShadowTradesFile} from './trades.js'

export const SHADOW_REPORT_STAGES = [
  {id: 'engine', title: 'Python engine'},
  {id: 'read', title: "Read the bot's trade database"},
  {id: 'validate', title: 'Backtest the same version, window and wallet'},
  {id: 'strategy', title: 'Load the strategy'},
  {id: 'data', title: 'Load candles'},
  {id: 'backtest', title: 'Backtest'},
  {id: 'results', title: 'Read the results'},
  {id: 'drift', title: 'Compare shadow and backtest'},
  {id: 'record', title: 'Record in MLflow and on the model version'},
]

export interface ShadowReportRequest {
  root: string
  id: string
  policy: ShadowGatePolicy
  experiment: Pick<TradaiConfig['tracking'], 'experimentName' | 'experimentPrefix'>
  context: RunContext
  /** Record the report in MLflow and on the version (default true). */
  record: boolean
  /** Signs the recorded report (the shadow gate's evidence); needed when `record`. */
  gateKey: GateKey | null
}

export interface ShadowReportTrade {
  id: number
  pair: string
  isOpen: boolean
  openDate: string
  closeDate: string | null
  openRate: number
  closeRate: number | null
  amount: number
  stakeAmount: number
  profitRatio: number | null
  profitAbs: number | null
  exitReason: string | null
  fees: number
  orders: Array<{
    side: string
    entry: boolean
    type: string
    status: string
    price: number | null
    fillPrice: number | null
    amount: number | null
    filled: number | null
    placed: string | null
    filledAt: string | null
  }>
}

/** The `--json` document of `tradai shadow report` (docs/schemas/shadow-report.schema.json). */
export interface ShadowReport {
  session: ShadowSessionSummary
  window: {start: string | null; end: string | null} | null
  metrics: BacktestMetrics & {openTrades: number; cancelledOrders: number; cancelledEntries: number; cancelledExits: number; unfilledOrders: number}
  timing: {virtualSeconds: number; wallSeconds: number | null; speed: number | null; days: number}
  trades: ShadowReportTrade[]
  backtest: {runId: string; timerange: string; metrics: BacktestMetrics}
  drift: Drift
  equity: {shadow: EquityPoint[]; backtest: EquityPoint[]}
  gate: ShadowGate
  /** The MLflow run holding this report (null when not recorded). */
  runId: string | null
  at: string
}

const DAY_SECONDS = 86_400

/** A report request from the configuration (the CLI and the HTTP API build it the same way). */
export function shadowReportRequest(config: TradaiConfig, id: string, context: RunContext, record: boolean, gateKey: GateKey | null): ShadowReportRequest {
  return {root: shadowRoot(config), id, policy: config.gates.shadow, experiment: config.tracking, context, record, gateKey}
}

/**
 * The shadow session judged against a backtest of the same version, window, pairs and wallet:
 * Freqtrade's numbers on both sides (the bot's database, the backtest's export), the trade-by-
 * trade drift, and the gate of `gates.shadow`. Recorded as a run (metrics + report artifact) and
 * on the model version as `tradai.shadow.*` tags, which promotion reads back.
 */
export async function shadowReport(request: ShadowReportRequest, engine: EnginePort, port: RegistryPort, ctx: CoreContext): Promise<ShadowReport> {
  const view = await readSession(request.root, request.id)
  if (view.status === 'starting') throw new CheckFailedError(`Shadow session ${request.id} is still starting: no trades to report yet.`)
  const window = view.record.window
  const timerange = view.record.timerange ?? timerangeOf(window)
  const data = view.record.data as unknown as BacktestDataSettings
  // The db read and the backtest share one engine process (shadow-drift): one start, one import.
  let read: Promise<ShadowTradesFile> | undefined
  const backtest = await runBacktest(
    {...data, timerange, strategy: view.record.strategyClass, strategiesDir: sessionFiles(view.record.sessionDir).strategy, params: {}},
    engine,
    ctx,
    async (bridgeRequest) => {
      const both = await engine.run('shadow-drift', {read: shadowReadRequest(view), backtest: bridgeRequest}, ctx)
      read = readShadowTradesFile(both.read.file)
      return both.backtest
    },
  )
  if (!read) throw new BugError('shadow report: the backtest ran without reading the trade database')
  const shadow = await read
  const backtestStats = await readStrategyStats(path.join(backtest.runDir, path.basename(backtest.resultFile).replace(/\.zip$/, '.json')), backtest.strategyClass)

  const {report, gateInput} = await inStage(ctx, 'drift', async () => {
    const metrics = toMetrics(shadow.stats)
    const timeframeMs = timeframeMillis(backtest.timeframe)
    const drift = computeDrift({
      shadow: shadow.trades.map((trade) => ({
        pair: trade.pair,
        openTime: trade.open_timestamp,
        closeTime: trade.close_timestamp,
        openRate: trade.open_rate,
        closeRate: trade.is_open ? null : trade.close_rate,
        profitAbs: trade.is_open ? null : trade.profit_abs,
        isShort: trade.is_short,
      })),
      backtest: backtestStats.trades.map((trade): DriftTrade => ({
        pair: trade.pair,
        openTime: trade.open_timestamp,
        closeTime: trade.close_timestamp,
        openRate: Number(trade.open_rate),
        closeRate: Number(trade.close_rate),
        profitAbs: trade.profit_abs,
        isShort: Boolean(trade.is_short),
      })),
      timeframeMs,
      shadowProfit: metrics.profitTotal,
      backtestProfit: backtest.metrics.profitTotal,
      shadowDrawdown: metrics.maxDrawdown ?? 0,
      backtestDrawdown: backtest.metrics.maxDrawdown ?? 0,
      profitDriftFloor: request.policy.profitDriftFloor,
      cancelledOrders: shadow.counts.cancelledOrders + shadow.counts.cancelledEntries,
    })
    const start = window?.start ? Date.parse(window.start) : Number.NaN
    const reached = Date.parse(view.state?.virtualEnd ?? view.state?.virtualTime ?? '')
    const end = Math.min(reached, window?.end ? Date.parse(window.end) : reached)
    const virtualSeconds = Number.isFinite(start) && Number.isFinite(end) ? Math.max(end - start, 0) / 1000 : 0
    const wallSeconds = view.state?.wallSeconds ?? null
    const gateInput: ShadowGateInput = {
      completed: view.status === 'completed',
      days: virtualSeconds / DAY_SECONDS,
      trades: metrics.totalTrades,
      matchRate: drift.matchRate,
      profitDrift: drift.profitDrift,
      maxDrawdown: metrics.maxDrawdown ?? 0,
    }
    const openOrders = shadow.trades.flatMap((trade) => trade.orders).filter((order) => order.status === 'open').length
    const report: ShadowReport = {
      session: sessionSummary(view),
      window,
      metrics: {
        ...metrics,
        openTrades: shadow.counts.openTrades,
        cancelledOrders: shadow.counts.cancelledOrders,
        cancelledEntries: shadow.counts.cancelledEntries,
        cancelledExits: shadow.counts.cancelledExits,
        unfilledOrders: openOrders + shadow.counts.cancelledEntries,
      },
      timing: {virtualSeconds, wallSeconds, speed: wallSeconds ? virtualSeconds / wallSeconds : null, days: gateInput.days},
      trades: shadow.trades.map((trade) => ({
        id: trade.trade_id,
        pair: trade.pair,
        isOpen: trade.is_open,
        openDate: new Date(trade.open_timestamp).toISOString(),
        closeDate: trade.close_timestamp ? new Date(trade.close_timestamp).toISOString() : null,
        openRate: trade.open_rate,
        closeRate: trade.close_rate,
        amount: trade.amount,
        stakeAmount: trade.stake_amount,
        profitRatio: trade.profit_ratio,
        profitAbs: trade.profit_abs,
        exitReason: trade.exit_reason,
        fees: (trade.fee_open_cost ?? 0) + (trade.fee_close_cost ?? 0),
        orders: trade.orders.map(orderRow),
      })),
      backtest: {runId: backtest.runId, timerange, metrics: backtest.metrics},
      drift,
      equity: {shadow: equityCurve(shadow.stats), backtest: backtest.equityCurve},
      gate: evaluateShadowGate(request.policy, gateInput),
      runId: null,
      at: new Date().toISOString(),
    }
    return {report, gateInput}
  })

  await writeFile(sessionFiles(view.record.sessionDir).report, `${JSON.stringify(report, null, 2)}\n`)
  if (!request.record) {
    ctx.onEvent({type: 'stage', stage: 'record', status: 'skip'})
    return report
  }

  report.runId = await inStage(ctx, 'record', async () => recordShadow(request, report, gateInput, port, ctx))
  await writeFile(sessionFiles(view.record.sessionDir).report, `${JSON.stringify(report, null, 2)}\n`)
  return report
}

function orderRow(order: ShadowOrder): ShadowReportTrade['orders'][number] {
  return {
    side: order.ft_order_side,
    entry: order.ft_is_entry,
    type: order.order_type,
    status: order.status,
    price: order.price,
    fillPrice: order.average || null,
    amount: order.amount,
    filled: order.filled,
    placed: order.order_date,
    filledAt: order.order_filled_date,
  }
}

function timerangeOf(window: {start: string | null; end: string | null} | null): string {
  const day = (iso: string | null) => (iso ? iso.slice(0, 10).replace(/-/g, '') : '')
  return `${day(window?.start ?? null)}-${day(window?.end ?? null)}`
}

function timeframeMillis(timeframe: string): number {
  const units: Record<string, number> = {s: 1, m: 60, h: 3600, d: 86_400, w: 604_800, M: 2_592_000}
  const match = /^(\d+)([smhdwM])$/.exec(timeframe)
  return match ? Number(match[1]) * units[match[2]!]! * 1000 : 300_000
}

async function recordShadow(request: ShadowReportRequest, report: ShadowReport, input: ShadowGateInput, port: RegistryPort, ctx: CoreContext): Promise<string> {
  const {session} = report
  const reportFile = path.join(session.sessionDir, 'shadow-report.json')
  const now = Date.now()
  const runName = `shadow ${session.strategy} v${session.version}`
  const numbers: Record<string, number | null> = {
    ...Object.fromEntries(Object.entries(report.metrics).filter((entry) => typeof entry[1] === 'number')),
    'gate.completed': input.completed ? 1 : 0,
    'gate.days': input.days,
    'gate.trades': input.trades,
    'gate.matchRate': input.matchRate,
    'gate.profitDrift': input.profitDrift,
    'gate.maxDrawdown': input.maxDrawdown,
    'drift.profitDelta': report.drift.profitDelta,
    'drift.drawdownDelta': report.drift.drawdownDelta,
    'drift.meanEntrySlippageBps': report.drift.meanEntrySlippageBps,
    'drift.meanExitSlippageBps': report.drift.meanExitSlippageBps,
    'timing.speed': report.timing.speed,
  }
  const metrics = Object.entries(numbers)
    .filter((entry): entry is [string, number] => typeof entry[1] === 'number' && Number.isFinite(entry[1]))
    .map(([key, value]) => ({key, value, timestamp: now, step: 0}))
  const status = report.gate.passed ? 'passed' : 'failed'
  const {runId} = await deliverRun(
    port,
    {
      format: 1,
      clientRunId: `shadow:${session.id}:${now}`,
      experimentName: experimentName(request.experiment, session.strategy),
      runName,
      user: request.context.user,
      startTime: now,
      endTime: now,
      params: [
        {key: 'model', value: session.strategy},
        {key: 'version', value: String(session.version)},
        {key: 'session', value: session.id},
        {key: 'mode', value: session.mode},
        {key: 'timerange', value: report.backtest.timerange},
        {key: 'backtestRunId', value: report.backtest.runId},
      ],
      metrics,
      tags: [
        {key: 'tradai.kind', value: RUN_KIND.shadow},
        {key: 'tradai.strategy', value: session.strategy},
        {key: 'tradai.model', value: session.strategy},
        {key: 'tradai.model_version', value: String(session.version)},
        {key: VERSION_TAG.shadowStatus, value: status},
        {key: VERSION_TAG.shadowSession, value: session.id},
        {key: 'tradai.shadow.session_status', value: session.status},
        {key: VERSION_TAG.codeHash, value: session.codeHash},
        {key: 'tradai.version', value: request.context.tradaiVersion},
        {key: 'mlflow.user', value: request.context.user},
        {key: 'mlflow.runName', value: runName},
        {key: 'mlflow.source.name', value: 'tradai shadow report'},
      ],
      artifacts: [
        {path: 'shadow-report.json', file: reportFile},
        {path: 'shadow-trades.json', file: sessionFiles(session.sessionDir).trades},
      ],
    },
    {artifacts: []},
    {save: async () => {}, stage: 'record'},
    ctx,
  )
  const set = (key: string, value: string) => port.setModelVersionTag(session.strategy, String(session.version), key, value, ctx.signal)
  // Like the challenge: never a passed status beside a stale run id or hash.
  await set(VERSION_TAG.shadowStatus, 'running')
  await set(VERSION_TAG.shadowRunId, runId)
  await set(VERSION_TAG.shadowCodeHash, session.codeHash)
  await set(VERSION_TAG.shadowSession, session.id)
  await set(VERSION_TAG.shadowAt, report.at)
  // The signed statement is the evidence: the gate numbers promotion re-judges come from it, not
  // from the run's metrics (anyone who can write to MLflow can log those).
  if (request.gateKey) {
    const measured: ShadowGateInput = {...input}
    await recordAttestation(
      port,
      session.strategy,
      attest(
        {
          kind: 'shadow',
          model: session.strategy,
          version: session.version,
          codeHash: session.codeHash,
          runId,
          result: {status, digest: digestOf(await readFile(reportFile))},
          policy: {gates: request.policy, measured},
          at: report.at,
          who: request.context.user,
        },
        request.gateKey,
      ),
      ctx.signal,
    )
  }

  await set(VERSION_TAG.shadowStatus, status)
  return runId
}
