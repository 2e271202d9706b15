import chalk from 'chalk'

import type {ShadowReport} from '../../core/shadow/report.js'
import type {ShadowSessionSummary} from '../../core/shadow/session.js'
import type {ShadowStartResult} from '../../core/shadow/start.js'
import type {ShadowStatusResult} from '../../core/shadow/status.js'
import {overlayChart} from './chart.js'
import {decimal, percent} from './format.js'
import {labelled} from './strategy-output.js'
import {renderTable} from './table.js'

const num = (value: number | null | undefined, digits = 8) => (value === null || value === undefined ? '-' : value.toFixed(digits))

export function renderShadowStart(result: ShadowStartResult): string {
  const {session} = result
  return `${labelled([
    ['Session', session.id],
    ['Strategy', `${session.strategy} v${session.version} (${session.codeHash.slice(0, 12)})`],
    ['Mode', session.mode],
    ['Status', session.status],
    ['Window', result.window ? `${result.window.start} to ${result.window.end}` : (session.timerange ?? 'all candles')],
    ['Folder', session.sessionDir],
  ])}\nNext: tradai shadow status ${session.id} · tradai shadow report ${session.id}\n`
}

export function renderShadowStatus(result: ShadowStatusResult): string {
  const {clock} = result
  return `${labelled([
    ['Session', `${result.session.id} (${result.session.strategy} v${result.session.version}, ${result.session.mode})`],
    ['Status', result.session.status],
    ['Virtual clock', clock.virtualTime ?? '-'],
    ['Progress', clock.candlesTotal ? `${clock.candlesDone}/${clock.candlesTotal} candles (${percent(clock.progress)})` : '-'],
    ['Trades', `${result.trades.closed} closed, ${result.trades.open} open`],
    ['Profit (closed)', `${num(result.profit.closedAbs)} (${percent(result.profit.closedRatio)})`],
    ['Read from', result.source === 'api' ? "the bot's REST API" : result.source === 'database' ? 'the trade database' : '-'],
    ...(result.error ? ([['Error', result.error]] as Array<[string, string]>) : []),
  ])}\n`
}

export function renderShadowList(sessions: ShadowSessionSummary[]): string {
  if (sessions.length === 0) return 'No shadow sessions yet (`tradai shadow start NAME --replay`).\n'
  return `${renderTable(sessions, [
    {header: 'Session', value: (s) => s.id},
    {header: 'Strategy', value: (s) => `${s.strategy} v${s.version}`},
    {header: 'Mode', value: (s) => s.mode},
    {header: 'Status', value: (s) => s.status},
    {header: 'Timerange', value: (s) => s.timerange ?? '-'},
    {header: 'Created', value: (s) => s.createdAt.slice(0, 19)},
  ])}\n`
}

export function renderShadowReport(report: ShadowReport): string {
  const m = report.metrics
  const b = report.backtest.metrics
  const d = report.drift
  const lines = [
    chalk.bold(`Shadow report ${report.session.id}: ${report.session.strategy} v${report.session.version} (${report.session.status})`),
    labelled([
      ['Window', report.window ? `${report.window.start} to ${report.window.end}` : '-'],
      ['Virtual / wall', `${decimal(report.timing.days, 2)} days in ${decimal(report.timing.wallSeconds, 1)} s (${decimal(report.timing.speed, 0)}× real time)`],
      ['Trades', `${m.totalTrades} closed, ${m.openTrades} open; cancelled orders ${m.cancelledOrders}, unfilled entries ${m.cancelledEntries}`],
    ]),
    '',
    chalk.bold('Shadow vs backtest'),
    renderTable(
      [
        ['Trades', String(m.totalTrades), String(b.totalTrades)],
        ['Profit', percent(m.profitTotal), percent(b.profitTotal)],
        ['Profit (abs)', num(m.profitTotalAbs), num(b.profitTotalAbs)],
        ['Max drawdown', percent(m.maxDrawdown), percent(b.maxDrawdown)],
        ['Win rate', percent(m.winRate), percent(b.winRate)],
      ],
      [
        {header: 'Metric', value: (row) => row[0]!},
        {header: 'Shadow', value: (row) => row[1]!, align: 'right'},
        {header: `Backtest ${report.backtest.runId}`, value: (row) => row[2]!, align: 'right'},
      ],
    ),
    '',
    chalk.bold('Drift'),
    labelled([
      ['Match rate', `${percent(d.matchRate)} (${d.matched.length} matched, ${d.backtestOnly.length} backtest-only, ${d.shadowOnly.length} shadow-only)`],
      ['Slippage', `entry ${decimal(d.meanEntrySlippageBps, 1)} bps, exit ${decimal(d.meanExitSlippageBps, 1)} bps (mean, positive = worse)`],
      ['Δ profit', `${percent(d.profitDelta)} (drift ${decimal(d.profitDrift, 3)})`],
      ['Δ drawdown', percent(d.drawdownDelta)],
    ]),
  ]
  if (report.trades.length > 0) {
    lines.push(
      '',
      chalk.bold("Trades (Freqtrade's database)"),
      renderTable(report.trades, [
        {header: 'Pair', value: (t) => t.pair},
        {header: 'Open', value: (t) => t.openDate.slice(0, 19)},
        {header: 'Close', value: (t) => (t.closeDate ? t.closeDate.slice(0, 19) : 'open')},
        {header: 'Entry', value: (t) => num(t.openRate), align: 'right'},
        {header: 'Exit', value: (t) => num(t.closeRate), align: 'right'},
        {header: 'Profit', value: (t) => percent(t.profitRatio), align: 'right'},
        {header: 'Orders', value: (t) => t.orders.map((o) => `${o.side}:${o.status}`).join(' ')},
        {header: 'Exit reason', value: (t) => t.exitReason ?? '-'},
      ]),
    )
  }

  // One canvas, shared axes: where the shadow's balance leaves the backtest's is the drift.
  const chart = overlayChart(
    [
      {label: 'shadow', points: report.equity.shadow.map((point) => ({x: Date.parse(point.date), y: point.balance}))},
      {label: 'backtest', points: report.equity.backtest.map((point) => ({x: Date.parse(point.date), y: point.balance})), dotted: true},
    ],
    {
      height: 6,
      paint: (text, owner) => (owner === 0 ? chalk.cyan(text) : owner === 1 ? chalk.yellow(text) : chalk.magenta(text)),
      formatY: (value) => num(value),
      formatX: (value) => new Date(value).toISOString().slice(0, 16).replace('T', ' '),
    },
  )
  if (chart.length > 0) lines.push('', chalk.bold('Equity: shadow vs backtest'), ...chart.map((row) => `  ${row}`))

  lines.push(
    '',
    chalk.bold(`Gate (gates.shadow): ${report.gate.passed ? chalk.green('passed') : chalk.red('failed')}`),
    renderTable(report.gate.checks, [
      {header: 'Check', value: (c) => c.check},
      {header: 'Actual', value: (c) => (typeof c.actual === 'number' ? decimal(c.actual, 3) : c.actual), align: 'right'},
      {header: 'Threshold', value: (c) => (typeof c.threshold === 'number' ? decimal(c.threshold, 3) : c.threshold), align: 'right'},
      {header: '', value: (c) => (c.passed ? chalk.green('ok') : chalk.red('FAIL'))},
    ]),
  )
  if (report.runId) lines.push(`Recorded in MLflow run ${report.runId} and on ${report.session.strategy} v${report.session.version} (tradai.shadow.*).`)
  return `${lines.join('\n')}\n`
}
