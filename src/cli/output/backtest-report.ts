import chalk from 'chalk'

import type {BacktestResult} from '../../core/backtest/run-backtest.js'
import type {TableRow} from '../../core/backtest/metrics.js'
import {brailleChart} from './chart.js'
import {amount, decimal, percent} from './format.js'
import {renderTable, type Column} from './table.js'

/** The human report of one backtest: summary, per-pair and exit-reason tables, equity curve. */
export function renderBacktestReport(result: BacktestResult): string {
  const m = result.metrics
  const cur = result.stakeCurrency
  const signed = (text: string, value: number | null) => (value === null ? text : value >= 0 ? chalk.green(text) : chalk.red(text))
  const summary: Array<[string, string]> = [
    ['Strategy', `${result.strategy}${result.strategyVersion ? ` v${result.strategyVersion}` : ''} (${result.strategyClass})`],
    ['Period', `${result.period.start} → ${result.period.end} (${result.timeframe}, ${result.exchange})`],
    ['Pairs', result.pairs.join(', ')],
    ['Trades', `${m.totalTrades} (${m.wins} won, ${m.draws} even, ${m.losses} lost)`],
    ['Win rate', percent(m.winRate)],
    ['Total profit', signed(`${percent(m.profitTotal)}  (${amount(m.profitTotalAbs, cur)})`, m.profitTotal)],
    ['Max drawdown', `${percent(m.maxDrawdown)}  (${amount(m.maxDrawdownAbs, cur)})`],
    ['Sharpe / Sortino / Calmar', `${decimal(m.sharpe)} / ${decimal(m.sortino)} / ${decimal(m.calmar)}`],
    ['Profit factor', decimal(m.profitFactor)],
    ['Expectancy', `${amount(m.expectancy, cur)} (ratio ${decimal(m.expectancyRatio)})`],
    ['Market change', percent(m.marketChange)],
    ['Balance', `${amount(m.startingBalance, cur)} → ${amount(m.finalBalance, cur)}`],
  ]
  const labelWidth = Math.max(...summary.map(([label]) => label.length))
  const lines = [chalk.bold('Summary'), ...summary.map(([label, value]) => `  ${label.padEnd(labelWidth)}  ${value}`)]

  const columns = (first: string): Array<Column<TableRow>> => [
    {header: first, value: (row) => row.key},
    {header: 'Trades', value: (row) => String(row.trades), align: 'right'},
    {header: 'Avg profit', value: (row) => percent(row.profitMean), align: 'right'},
    {header: `Total ${cur}`, value: (row) => amount(row.profitTotalAbs, cur).replace(` ${cur}`, ''), align: 'right'},
    {header: 'Total', value: (row) => signed(percent(row.profitTotal), row.profitTotal), align: 'right'},
    {header: 'Win rate', value: (row) => percent(row.winRate, 1), align: 'right'},
    {header: 'Avg duration', value: (row) => row.durationAvg ?? '–', align: 'right'},
  ]
  lines.push('', chalk.bold('Per pair'), indent(renderTable(result.perPair, columns('Pair'))))
  lines.push('', chalk.bold('Exit reasons'), indent(renderTable(result.exitReasons, columns('Exit reason'))))

  const chart = brailleChart(result.equityCurve.map((point) => point.balance))
  if (chart.length > 0) {
    const balances = result.equityCurve.map((point) => point.balance)
    lines.push(
      '',
      chalk.bold(`Equity (${cur}, after each closed trade)`),
      `  max ${amount(Math.max(...balances), cur)}`,
      ...chart.map((row) => `  ${chalk.cyan(row)}`),
      `  min ${amount(Math.min(...balances), cur)}`,
    )
  }

  lines.push(
    '',
    `Markets: ${result.marketsSource}  ·  Freqtrade ${result.engine.freqtrade}  ·  run ${result.runId}`,
    `Run folder: ${result.runDir}`,
    `Reports: ${result.reports.summary}  ·  ${result.reports.equityChart}`,
  )
  if (result.reportFile) lines.push(`Report: ${result.reportFile}`)
  const tracking = result.tracking
  if (tracking?.status === 'logged') lines.push(`MLflow run: ${chalk.underline(tracking.url)}`)
  if (tracking?.status === 'queued') lines.push(`MLflow: ${chalk.yellow('queued')} in ${tracking.outboxEntry}; \`tradai tracking sync\` logs it once the server is back.`)
  return `${lines.join('\n')}\n`
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n')
}
