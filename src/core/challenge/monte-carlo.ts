/**
 * Monte Carlo on trade order: the same trades in shuffled orders, and the drawdown each order
 * would have had. A result that only holds for one lucky sequence shows a much deeper drawdown
 * at the high percentiles than the backtest's own.
 */
export interface MonteCarloRequest {
  startingBalance: number
  /** Absolute profit of each closed trade (Freqtrade's `profit_abs`), in close order. */
  profits: number[]
  runs: number
  /** 1-100: the drawdown reported is the one this share of shuffles stays at or below. */
  percentile: number
  seed: number
}

export interface MonteCarloResult {
  runs: number
  trades: number
  seed: number
  percentile: number
  /** Drawdown (ratio of the peak balance) at the percentile. */
  drawdown: number
  /** The backtest's own order, computed the same way (equals Freqtrade's account drawdown). */
  original: number
  median: number
  worst: number
}

/** Deterministic PRNG (mulberry32): the same seed gives the same shuffles on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

/**
 * Largest fall from a running peak, as a ratio of that peak balance: Freqtrade's
 * `max_drawdown_account` ((peak profit − profit) / (starting balance + peak profit)).
 */
export function maxDrawdown(startingBalance: number, profits: number[]): number {
  let balance = startingBalance
  let peak = startingBalance
  let worst = 0
  for (const profit of profits) {
    balance += profit
    if (balance > peak) peak = balance
    else if (peak > 0) worst = Math.max(worst, (peak - balance) / peak)
  }

  return worst
}

/** Nearest-rank percentile of ascending `sorted` values. */
export function percentileOf(sorted: number[], percentile: number): number {
  if (sorted.length === 0) return 0
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((percentile / 100) * sorted.length)))
  return sorted[rank - 1]!
}

export function monteCarloDrawdown(request: MonteCarloRequest): MonteCarloResult {
  const random = seededRandom(request.seed)
  const order = [...request.profits]
  const drawdowns: number[] = []
  for (let run = 0; run < request.runs; run++) {
    // Fisher-Yates, continuing from the previous order: each shuffle is uniform either way.
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1))
      ;[order[i], order[j]] = [order[j]!, order[i]!]
    }

    drawdowns.push(maxDrawdown(request.startingBalance, order))
  }

  drawdowns.sort((a, b) => a - b)
  return {
    runs: request.runs,
    trades: request.profits.length,
    seed: request.seed,
    percentile: request.percentile,
    drawdown: percentileOf(drawdowns, request.percentile),
    original: maxDrawdown(request.startingBalance, request.profits),
    median: percentileOf(drawdowns, 50),
    worst: drawdowns.at(-1) ?? 0,
  }
}
