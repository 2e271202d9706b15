import type {ResultLine, StrategyStats} from './freqtrade-result.js'

/**
 * The summary tradai reports. Every value is Freqtrade's own number, renamed to camelCase;
 * nothing is recomputed. Ratios stay ratios (0.05 = 5 %), as Freqtrade stores them.
 */
export interface BacktestMetrics {
  totalTrades: number
  wins: number
  losses: number
  draws: number
  winRate: number | null
  profitTotal: number
  profitTotalAbs: number
  profitMean: number | null
  /** Freqtrade's account drawdown ratio (`max_drawdown_account`). */
  maxDrawdown: number | null
  maxDrawdownAbs: number | null
  maxRelativeDrawdown: number | null
  sharpe: number | null
  sortino: number | null
  calmar: number | null
  sqn: number | null
  cagr: number | null
  profitFactor: number | null
  expectancy: number | null
  expectancyRatio: number | null
  marketChange: number | null
  tradesPerDay: number | null
  startingBalance: number
  finalBalance: number
}

export interface TableRow {
  key: string
  trades: number
  wins: number
  draws: number
  losses: number
  winRate: number | null
  profitMean: number | null
  profitTotal: number
  profitTotalAbs: number
  profitFactor: number | null
  maxDrawdown: number | null
  durationAvg: string | null
}

export interface EquityPoint {
  /** Close time of the trade that moved the balance (ISO, UTC). */
  date: string
  balance: number
}

export function toMetrics(stats: StrategyStats): BacktestMetrics {
  const orNull = (value: number | null | undefined) => value ?? null
  return {
    totalTrades: stats.total_trades,
    wins: stats.wins,
    losses: stats.losses,
    draws: stats.draws,
    winRate: orNull(stats.winrate),
    profitTotal: stats.profit_total,
    profitTotalAbs: stats.profit_total_abs,
    profitMean: orNull(stats.profit_mean),
    maxDrawdown: orNull(stats.max_drawdown_account),
    maxDrawdownAbs: orNull(stats.max_drawdown_abs),
    maxRelativeDrawdown: orNull(stats.max_relative_drawdown),
    sharpe: orNull(stats.sharpe),
    sortino: orNull(stats.sortino),
    calmar: orNull(stats.calmar),
    sqn: orNull(stats.sqn),
    cagr: orNull(stats.cagr),
    profitFactor: orNull(stats.profit_factor),
    expectancy: orNull(stats.expectancy),
    expectancyRatio: orNull(stats.expectancy_ratio),
    marketChange: orNull(stats.market_change),
    tradesPerDay: orNull(stats.trades_per_day),
    startingBalance: stats.starting_balance,
    finalBalance: stats.final_balance,
  }
}

export function toTableRows(lines: ResultLine[]): TableRow[] {
  return lines.map((line) => ({
    key: line.key,
    trades: line.trades,
    wins: line.wins,
    draws: line.draws,
    losses: line.losses,
    winRate: line.winrate ?? null,
    profitMean: line.profit_mean,
    profitTotal: line.profit_total,
    profitTotalAbs: line.profit_total_abs,
    profitFactor: line.profit_factor ?? null,
    maxDrawdown: line.max_drawdown_account ?? null,
    durationAvg: line.duration_avg ?? null,
  }))
}

/**
 * The balance after each closed trade, starting from the starting balance: the same cumulative
 * profit curve Freqtrade plots (`plot-profit`), one step per trade close.
 */
export function equityCurve(stats: StrategyStats): EquityPoint[] {
  const start = stats.backtest_start.replace(' ', 'T')
  const points: EquityPoint[] = [{date: start.endsWith('Z') || start.includes('+') ? start : `${start}Z`, balance: stats.starting_balance}]
  let balance = stats.starting_balance
  for (const trade of [...stats.trades].sort((a, b) => a.close_timestamp - b.close_timestamp)) {
    balance += trade.profit_abs
    points.push({date: new Date(trade.close_timestamp).toISOString(), balance})
  }

  return points
}
