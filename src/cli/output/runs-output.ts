import chalk from 'chalk'

import type {RunComparison, RunDetail, RunSummary} from '../../core/runs/list-runs.js'
import {percent} from './format.js'
import {renderTable} from './table.js'

const status = (run: RunSummary) => (run.status === 'ok' ? chalk.green('ok') : run.status === 'incomplete' ? chalk.yellow('incomplete') : chalk.red(run.status))

/** `runs list`: newest first, one line per run. */
export function renderRunList(runs: RunSummary[]): string {
  if (runs.length === 0) return 'No runs found.\n'
  return `${renderTable(runs, [
    {header: 'Run', value: (run) => run.runId},
    {header: 'Kind', value: (run) => run.kind},
    {header: 'Status', value: status},
    {header: 'Strategy', value: (run) => run.strategy ?? '–'},
    {header: 'Pairs', value: (run) => (run.pairs.length > 3 ? `${run.pairs.slice(0, 3).join(' ')} +${run.pairs.length - 3}` : run.pairs.join(' ') || '–')},
    {header: 'Timerange', value: (run) => run.timerange ?? '–'},
    {header: 'Trades', value: (run) => (run.totalTrades === null ? '–' : String(run.totalTrades)), align: 'right'},
    {header: 'Profit', value: (run) => percent(run.profitTotal), align: 'right'},
    {header: 'Drawdown', value: (run) => percent(run.maxDrawdown), align: 'right'},
  ])}\n`
}

/** `runs show`: the summary, its error if it failed, where its files are. */
export function renderRunDetail(run: RunDetail): string {
  const lines = [
    `${chalk.bold(run.runId)}  ${run.kind} · ${status(run)} · ${run.strategy ?? '–'}`,
    `  Started     ${run.createdAt}`,
    `  Pairs       ${run.pairs.join(' ') || '–'} · ${run.timeframe ?? '–'} · ${run.timerange ?? '–'}`,
    `  Headline    ${run.totalTrades ?? '–'} trades · profit ${percent(run.profitTotal)} · drawdown ${percent(run.maxDrawdown)}`,
  ]
  if (run.error) lines.push(`  Error       ${chalk.red(run.error.code)} (exit ${run.error.exitCode}): ${run.error.message}`)
  lines.push(`  Folder      ${run.runDir}`)
  return `${lines.join('\n')}\n`
}

const cell = (value: unknown) => (value === null || value === undefined ? '–' : typeof value === 'number' ? String(+value.toPrecision(6)) : String(value))

/** `runs compare`: metrics side by side, then what differs. */
export function renderRunComparison(comparison: RunComparison): string {
  const ids = comparison.runs.map((run) => run.runId)
  const columns = (rows: Array<[string, unknown[]]>) =>
    renderTable(rows, [
      {header: '', value: ([name]) => name},
      ...ids.map((id, index) => ({header: id, value: ([, values]: [string, unknown[]]) => cell(values[index]), align: 'right' as const})),
    ])
  const lines = [chalk.bold('Metrics'), columns(Object.entries(comparison.metrics))]
  const differences = Object.entries(comparison.differences)
  lines.push('', chalk.bold('Differences'), differences.length ? columns(differences) : '  none: same settings and parameters')
  return `${lines.join('\n')}\n`
}
