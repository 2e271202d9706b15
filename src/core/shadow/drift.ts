/**
 * Shadow vs backtest, trade by trade. A shadow trade matches a backtest trade of the same pair
 * whose open time is within one candle (the bot decides on the same closed candle, then waits
 * for its limit order to fill); each backtest trade matches at most one shadow trade, earliest
 * first. Slippage is in basis points of the backtest's rate, positive when the shadow did worse
 * (paid more on a long entry, got less on a long exit; mirrored for shorts).
 */
export interface DriftTrade {
  pair: string
  openTime: number
  closeTime: number | null
  openRate: number
  closeRate: number | null
  profitAbs: number | null
  isShort: boolean
}

export interface MatchedTrade {
  pair: string
  shadowOpen: string
  backtestOpen: string
  entrySlippageBps: number
  exitSlippageBps: number | null
  profitAbsDelta: number | null
}

export interface UnmatchedTrade {
  pair: string
  open: string
  profitAbs: number | null
}

export interface Drift {
  matched: MatchedTrade[]
  /** matched / max(backtest trades, shadow trades); 1 when neither traded. */
  matchRate: number
  /** Shadow profit ratio minus the backtest's (ratios of the starting balance). */
  profitDelta: number
  /** |profitDelta| / max(|backtest profit ratio|, floor). */
  profitDrift: number
  drawdownDelta: number
  meanEntrySlippageBps: number | null
  meanExitSlippageBps: number | null
  backtestOnly: UnmatchedTrade[]
  shadowOnly: UnmatchedTrade[]
  cancelledOrders: number
}

export interface DriftInput {
  shadow: DriftTrade[]
  backtest: DriftTrade[]
  timeframeMs: number
  shadowProfit: number
  backtestProfit: number
  shadowDrawdown: number
  backtestDrawdown: number
  profitDriftFloor: number
  cancelledOrders: number
}

const iso = (ms: number) => new Date(ms).toISOString()
const bps = (value: number, reference: number) => ((value - reference) / reference) * 10_000
const mean = (values: number[]) => (values.length === 0 ? null : values.reduce((sum, value) => sum + value, 0) / values.length)

export function computeDrift(input: DriftInput): Drift {
  const shadow = [...input.shadow].sort((a, b) => a.openTime - b.openTime)
  const used = new Set<number>()
  const matched: MatchedTrade[] = []
  const backtestOnly: UnmatchedTrade[] = []
  for (const bt of [...input.backtest].sort((a, b) => a.openTime - b.openTime)) {
    const index = shadow.findIndex((trade, i) => !used.has(i) && trade.pair === bt.pair && Math.abs(trade.openTime - bt.openTime) <= input.timeframeMs)
    if (index === -1) {
      backtestOnly.push({pair: bt.pair, open: iso(bt.openTime), profitAbs: bt.profitAbs})
      continue
    }

    used.add(index)
    const trade = shadow[index]!
    const side = bt.isShort ? -1 : 1
    matched.push({
      pair: bt.pair,
      shadowOpen: iso(trade.openTime),
      backtestOpen: iso(bt.openTime),
      entrySlippageBps: side * bps(trade.openRate, bt.openRate),
      exitSlippageBps: trade.closeRate !== null && bt.closeRate !== null ? -side * bps(trade.closeRate, bt.closeRate) : null,
      profitAbsDelta: trade.profitAbs !== null && bt.profitAbs !== null ? trade.profitAbs - bt.profitAbs : null,
    })
  }

  const shadowOnly = shadow.filter((_, i) => !used.has(i)).map((trade) => ({pair: trade.pair, open: iso(trade.openTime), profitAbs: trade.profitAbs}))
  const denominator = Math.max(input.backtest.length, input.shadow.length)
  const profitDelta = input.shadowProfit - input.backtestProfit
  return {
    matched,
    matchRate: denominator === 0 ? 1 : matched.length / denominator,
    profitDelta,
    profitDrift: Math.abs(profitDelta) / Math.max(Math.abs(input.backtestProfit), input.profitDriftFloor),
    drawdownDelta: input.shadowDrawdown - input.backtestDrawdown,
    meanEntrySlippageBps: mean(matched.map((trade) => trade.entrySlippageBps)),
    meanExitSlippageBps: mean(matched.flatMap((trade) => (trade.exitSlippageBps === null ? [] : [trade.exitSlippageBps]))),
    backtestOnly,
    shadowOnly,
    cancelledOrders: input.cancelledOrders,
  }
}
