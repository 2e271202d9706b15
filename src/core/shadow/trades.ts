import {readFile} from 'node:fs/promises'

import type {EnginePort, RequestOf} from '../ports/engine.js'
import type {StrategyStats} from '../backtest/freqtrade-result.js'
import type {CoreContext} from '../events.js'
import type {ShadowSessionView} from './session.js'

/** One order of a shadow trade, as Freqtrade's Order.to_json gives it. */
export interface ShadowOrder {
  ft_order_side: string
  ft_is_entry: boolean
  order_type: string
  status: string
  price: number | null
  average: number | null
  amount: number | null
  filled: number | null
  cost: number | null
  order_date: string | null
  order_filled_date: string | null
}

/** One trade from the bot's database, as Freqtrade's Trade.to_json gives it. */
export interface ShadowTrade {
  trade_id: number
  pair: string
  is_open: boolean
  is_short: boolean
  open_date: string
  open_timestamp: number
  close_date: string | null
  close_timestamp: number | null
  open_rate: number
  close_rate: number | null
  amount: number
  stake_amount: number
  fee_open: number | null
  fee_open_cost: number | null
  fee_close: number | null
  fee_close_cost: number | null
  profit_ratio: number | null
  profit_abs: number | null
  exit_reason: string | null
  enter_tag: string | null
  orders: ShadowOrder[]
}

export interface ShadowTradesFile {
  trades: ShadowTrade[]
  /** Freqtrade's generate_strategy_stats on the closed trades (the backtest's stats shape). */
  stats: StrategyStats
  counts: {
    trades: number
    closedTrades: number
    openTrades: number
    orders: number
    filledOrders: number
    cancelledOrders: number
    cancelledEntries: number
    cancelledExits: number
  }
  cancellations: Array<{type: string; tradeId: number | null; pair: string | null; reason: string | null; at: string}>
}

/** The `shadow-read` request of a session: its database, within the window the bot covered. */
export function shadowReadRequest(view: ShadowSessionView): RequestOf<'shadow-read'> {
  const window = view.record.window
  return {sessionDir: view.record.sessionDir, windowStart: window?.start ?? null, windowEnd: window?.end ?? view.state?.virtualEnd ?? view.state?.virtualTime ?? null}
}

/** The shadow-trades.json the engine wrote (shadow-read, or the read half of shadow-drift). */
export async function readShadowTradesFile(file: string): Promise<ShadowTradesFile> {
  return JSON.parse(await readFile(file, 'utf8')) as ShadowTradesFile
}

/** The session's trades, orders and Freqtrade stats, read from its trade database by the engine. */
export async function readShadowTrades(engine: EnginePort, view: ShadowSessionView, ctx: CoreContext): Promise<ShadowTradesFile> {
  const result = await engine.run('shadow-read', shadowReadRequest(view), ctx)
  return readShadowTradesFile(result.file)
}
