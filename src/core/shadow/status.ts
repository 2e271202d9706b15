import type {EnginePort} from '../ports/engine.js'
import type {CoreContext} from '../events.js'
import {processAlive, sleep} from '../wait.js'
import {listSessions, readApiCredentials, readSession, sessionFiles, sessionSummary, type ApiCredentials, type ShadowSessionView} from './session.js'
import {readShadowTrades} from './trades.js'

/** A running bot's REST API, as status and stop use it (engines/freqtrade/rest-client.ts). */
export interface ShadowBotApi {
  get<T>(name: string, signal?: AbortSignal): Promise<T>
  post<T>(name: string, signal?: AbortSignal): Promise<T>
}

export type BotApiFactory = (credentials: ApiCredentials) => ShadowBotApi

/** The `--json` document of `tradai shadow status` (docs/schemas/shadow-status.schema.json). */
export interface ShadowStatusResult {
  session: ReturnType<typeof sessionSummary>
  source: 'api' | 'database' | 'none'
  clock: {virtualTime: string | null; window: {start: string | null; end: string | null} | null; candlesDone: number | null; candlesTotal: number | null; progress: number | null}
  trades: {open: number; closed: number}
  profit: {closedAbs: number | null; closedRatio: number | null; allAbs: number | null}
  wallSeconds: number | null
  error: string | null
}

interface FreqtradeProfit {
  profit_closed_coin: number
  profit_closed_ratio?: number
  profit_all_coin: number
  trade_count: number
  closed_trade_count: number
}

/** The newest session when no id is given. */
export async function resolveSessionId(root: string, id: string | undefined): Promise<string> {
  if (id) return id
  const sessions = await listSessions(root)
  const newest = sessions.at(-1)
  return newest ? newest.record.id : '(none)'
}

/**
 * Where a session stands: while its bot runs, from the bot's own REST API (profit, trade
 * counts) plus the clock the engine writes to state.json; after, from the trade database.
 */
export async function shadowStatus(root: string, id: string, api: BotApiFactory, engine: EnginePort | null, ctx: CoreContext): Promise<ShadowStatusResult> {
  const view = await readSession(root, id)
  const state = view.state
  const candlesDone = state?.candlesDone ?? null
  const candlesTotal = state?.candlesTotal ?? null
  const base: ShadowStatusResult = {
    session: sessionSummary(view),
    source: 'none',
    clock: {
      virtualTime: state?.virtualTime ?? null,
      window: view.record.window,
      candlesDone,
      candlesTotal,
      progress: candlesDone !== null && candlesTotal ? candlesDone / candlesTotal : null,
    },
    trades: {open: state?.openTrades ?? 0, closed: state?.closedTrades ?? 0},
    profit: {closedAbs: null, closedRatio: null, allAbs: null},
    wallSeconds: state?.wallSeconds ?? null,
    error: state?.error ?? null,
  }
  const credentials = await readApiCredentials(view.record.sessionDir)
  if (view.status === 'running' && credentials) {
    try {
      const profit = await api(credentials).get<FreqtradeProfit>('profit', ctx.signal)
      return {
        ...base,
        source: 'api',
        trades: {open: profit.trade_count - profit.closed_trade_count, closed: profit.closed_trade_count},
        profit: {closedAbs: profit.profit_closed_coin, closedRatio: profit.profit_closed_ratio ?? null, allAbs: profit.profit_all_coin},
      }
    } catch {
      // The bot may be between its last step and its exit: the database answers below.
    }
  }

  if (!engine || view.status === 'starting') return base
  try {
    const trades = await readShadowTrades(engine, view, ctx)
    return {
      ...base,
      source: 'database',
      trades: {open: trades.counts.openTrades, closed: trades.counts.closedTrades},
      profit: {closedAbs: trades.stats.profit_total_abs, closedRatio: trades.stats.profit_total, allAbs: null},
    }
  } catch {
    return base
  }
}

/**
 * Stops a session's bot: Freqtrade's own /stop first (it finishes its step, keeps every trade),
 * then SIGTERM to its process group, SIGKILL last. Returns when no process of it is left.
 */
export async function stopShadow(
  root: string,
  id: string,
  api: BotApiFactory,
  signalGroup: (pid: number, signal: NodeJS.Signals) => void,
  ctx: CoreContext,
): Promise<ShadowSessionView> {
  const view = await readSession(root, id)
  const pid = view.state?.pid ?? view.record.pid
  if (pid === null || (view.status !== 'running' && view.status !== 'starting')) return view
  const credentials = await readApiCredentials(view.record.sessionDir)
  ctx.onEvent({type: 'stage', stage: 'stop', status: 'start', message: `pid ${pid}`})
  if (credentials && view.status === 'running') {
    await api(credentials)
      .post('stop', ctx.signal)
      .catch(() => {})
  }

  const gone = async (ms: number) => {
    const deadline = Date.now() + ms
    while (processAlive(pid) && Date.now() < deadline) await sleep(100)
    return !processAlive(pid)
  }

  if (!(await gone(20_000))) {
    signalGroup(pid, 'SIGTERM')
    if (!(await gone(10_000))) signalGroup(pid, 'SIGKILL')
    await gone(5000)
  }

  // Anything the bot started (its group) goes with it.
  signalGroup(pid, 'SIGKILL')
  ctx.onEvent({type: 'stage', stage: 'stop', status: 'done'})
  return readSession(root, id)
}

export {sessionFiles}
