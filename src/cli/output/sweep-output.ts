import chalk from 'chalk'

import type {BacktestMetrics} from '../../core/backtest/metrics.js'
import {LOWER_IS_BETTER} from '../../core/challenge/criteria.js'
import type {SweepPoint, SweepResult} from '../../core/sweep/run-sweep.js'
import type {TrackingOutcome} from '../../core/tracking/port.js'
import {decimal, percent} from './format.js'
import {renderTable} from './table.js'

const RATIOS = new Set<keyof BacktestMetrics>(['profitTotal', 'profitMean', 'maxDrawdown', 'maxRelativeDrawdown', 'winRate', 'cagr', 'marketChange'])
const SHADES = [' ', '░', '▒', '▓', '█']

export function metricText(metric: keyof BacktestMetrics, value: number | null | undefined): string {
  if (value === null || value === undefined) return '–'
  return RATIOS.has(metric) ? percent(value) : Number.isInteger(value) ? String(value) : decimal(value, 3)
}

const paramText = (params: SweepPoint['params']) =>
  Object.entries(params)
    .map(([name, value]) => `${name}=${value}`)
    .join('  ')

/** Two-parameter grids: the sort metric per cell, shaded from worst (blank) to best (█). */
export function renderHeatmap(result: Pick<SweepResult, 'grid' | 'points' | 'sortBy'>): string | undefined {
  const names = Object.keys(result.grid)
  if (names.length !== 2) return undefined
  const [rowName, columnName] = names as [string, string]
  const metric = result.sortBy
  const value = (row: unknown, column: unknown) =>
    result.points.find((point) => String(point.params[rowName]) === String(row) && String(point.params[columnName]) === String(column))?.metrics[metric] ?? null
  const all = result.points.map((point) => point.metrics[metric]).filter((v): v is number => v !== null)
  const lo = Math.min(...all)
  const hi = Math.max(...all)
  const shade = (v: number | null) => {
    if (v === null) return ' '
    let level = hi === lo ? 1 : (v - lo) / (hi - lo)
    if (LOWER_IS_BETTER.has(metric)) level = 1 - level
    return SHADES[Math.round(level * (SHADES.length - 1))]!
  }

  const rows = result.grid[rowName]!.map((row) => ({row, cells: result.grid[columnName]!.map((column) => value(row, column))}))
  const table = renderTable(rows, [
    {header: `${rowName} \\ ${columnName}`, value: (r) => String(r.row)},
    ...result.grid[columnName]!.map((column, index) => ({
      header: String(column),
      value: (r: (typeof rows)[number]) => `${shade(r.cells[index]!)} ${metricText(metric, r.cells[index])}`,
      align: 'right' as const,
    })),
  ])
  return `${chalk.bold(`Heatmap of ${metric}`)} (█ best, blank worst)\n${table
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n')}`
}

/** `strategy sweep`: the points ranked by the metric, the best point, the heatmap. */
export function renderSweepResult(result: SweepResult & {tracking?: TrackingOutcome; reportFile?: string}, top?: number): string {
  const shown = top ? result.points.slice(0, top) : result.points
  const lines = [
    chalk.bold(`Sweep ${result.runId}`) +
      `  ${result.strategy} · ${result.points.length} points · ${result.pairs.join(' ')} · ${result.timeframe} · ${result.timerange ?? 'all candles'} · jobs ${result.jobs} · ${result.durationSeconds.toFixed(1)} s`,
    '',
    chalk.bold(`Points by ${result.sortBy}`) + (shown.length < result.points.length ? ` (top ${shown.length} of ${result.points.length})` : ''),
    renderTable(shown, [
      {header: '#', value: (point) => String(point.index + 1), align: 'right'},
      {header: 'Params', value: (point) => paramText(point.params)},
      {header: 'Trades', value: (point) => String(point.metrics.totalTrades), align: 'right'},
      {header: 'Profit', value: (point) => percent(point.metrics.profitTotal), align: 'right'},
      {header: 'Drawdown', value: (point) => percent(point.metrics.maxDrawdown), align: 'right'},
      {header: 'Sharpe', value: (point) => decimal(point.metrics.sharpe), align: 'right'},
      ...(['totalTrades', 'profitTotal', 'maxDrawdown', 'sharpe'].includes(result.sortBy)
        ? []
        : [{header: result.sortBy, value: (point: SweepPoint) => metricText(result.sortBy, point.metrics[result.sortBy]), align: 'right' as const}]),
    ])
      .split('\n')
      .map((line) => `  ${line}`)
      .join('\n'),
    '',
    `${chalk.bold('Best')}  ${paramText(result.best.params)}  ·  ${result.sortBy} ${metricText(result.sortBy, result.best.metrics[result.sortBy])}`,
  ]
  const heatmap = renderHeatmap(result)
  if (heatmap) lines.push('', heatmap)
  lines.push('', `Run folder  ${result.runDir}`)
  if (result.reportFile) lines.push(`Report      ${result.reportFile}`)
  if (result.study) lines.push(`Study       ${result.study.name} in ${result.study.storage}: ${result.study.pointsHere} of ${result.points.length} point(s) run here`)
  if (result.tracking?.status === 'logged') lines.push(`MLflow      ${result.tracking.url}`)
  else if (result.tracking?.status === 'queued') lines.push(`MLflow      queued (${result.tracking.reason ?? 'server unreachable'}); \`tradai tracking sync\` logs it`)
  return `${lines.join('\n')}\n`
}
