import chalk from 'chalk'

import type {OosRow, HyperoptResult, TrialRow} from '../../core/hyperopt/result.js'
import type {StudyDetail, StudyList} from '../../core/hyperopt/studies.js'
import type {TrackingOutcome} from '../../core/tracking/port.js'
import {decimal, percent} from './format.js'
import {renderTable} from './table.js'

const indent = (text: string) =>
  text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n')
const loss = (value: number | null | undefined) => (value === null || value === undefined ? '–' : decimal(value, 5))

function paramLines(params: Record<string, Record<string, unknown>> | null): string[] {
  if (!params) return ['  (none)']
  return Object.entries(params).map(
    ([space, values]) =>
      `  ${space.padEnd(9)} ${Object.entries(values)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join('  ')}`,
  )
}

/** `hyperopt run` / `worker`: the best epoch, the Pareto front, the out-of-sample check. */
export function renderHyperoptResult(result: HyperoptResult & {tracking?: TrackingOutcome}): string {
  const m = result.bestMetrics
  const lines = [
    chalk.bold(`Study ${result.study}`) + `  (${result.engine}, ${result.sampler}, loss ${result.loss})`,
    `  Epochs this run ${result.epochs}  ·  completed in study ${result.completedTrials}  ·  ${result.epochsPerSecond ?? '–'} epochs/s`,
    `  Best trial ${result.bestTrial ?? '–'}  ·  loss ${loss(result.bestLoss)}` +
      (m ? `  ·  ${m.totalTrades} trades, profit ${percent(m.profitTotal)}, drawdown ${percent(m.maxDrawdown)}, sharpe ${decimal(m.sharpe)}` : ''),
    '',
    chalk.bold('Best parameters'),
    ...paramLines(result.bestParams),
  ]
  if (result.paretoFront) {
    const objectives = result.objectives
    lines.push('', chalk.bold(`Pareto front (${objectives.join(' vs ')})`))
    lines.push(
      indent(
        renderTable(result.paretoFront, [
          {header: 'Trial', value: (row) => String(row.number), align: 'right'},
          ...objectives.map((name) => ({header: name, value: (row: TrialRow & {objectives: Record<string, number>}) => decimal(row.objectives[name], 5), align: 'right' as const})),
          {header: 'Trades', value: (row) => String(row.metrics?.totalTrades ?? '–'), align: 'right'},
        ]),
      ),
    )
  }

  if (result.oos) {
    lines.push('', chalk.bold(`Out of sample ${result.oos.timerange} (in sample ${result.oos.inSampleTimerange ?? 'all'})`))
    lines.push(
      indent(
        renderTable(result.oos.trials, [
          {header: 'Trial', value: (row: OosRow) => String(row.trial), align: 'right'},
          {header: 'Loss in', value: (row) => loss(row.inSample.loss), align: 'right'},
          {header: 'Loss out', value: (row) => loss(row.outOfSample.loss), align: 'right'},
          {header: 'Profit in', value: (row) => percent(row.inSample.profitTotal), align: 'right'},
          {header: 'Profit out', value: (row) => percent(row.outOfSample.profitTotal), align: 'right'},
          {header: 'Drop', value: (row) => (row.drop.profitTotal === undefined ? '–' : percent(row.drop.profitTotal)), align: 'right'},
          {header: 'Trades in/out', value: (row) => `${row.inSample.totalTrades ?? '–'}/${row.outOfSample.totalTrades ?? '–'}`, align: 'right'},
        ]),
      ),
    )
  }

  lines.push('', `Storage: ${result.storage}`, `Run folder: ${result.runDir}`)
  lines.push(result.paramsFile ? `Params file: ${result.paramsFile}` : 'Params file: not written')
  const tracking = result.tracking
  if (tracking?.status === 'logged') lines.push(`MLflow run: ${chalk.underline(tracking.url)}`)
  if (tracking?.status === 'queued') lines.push(`MLflow: ${chalk.yellow('queued')} in the outbox; \`tradai tracking sync\` logs it once the server is back.`)
  return `${lines.join('\n')}\n`
}

export function renderStudyList(list: StudyList): string {
  if (list.studies.length === 0) return 'No studies yet. Start one with `tradai hyperopt run --strategy NAME`.\n'
  return `${renderTable(list.studies, [
    {header: 'Study', value: (s) => s.study},
    {header: 'Engine', value: (s) => s.engine},
    {header: 'Strategy', value: (s) => s.strategy ?? '–'},
    {header: 'Trials', value: (s) => String(s.completedTrials) + (s.trials === s.completedTrials ? '' : `/${s.trials}`), align: 'right'},
    {header: 'Best loss', value: (s) => loss(s.bestLoss), align: 'right'},
    {header: 'Last update', value: (s) => s.lastUpdate?.replace(/\.\d+/, '') ?? '–'},
  ])}\n`
}

export function renderStudy(detail: StudyDetail): string {
  const lines = [
    chalk.bold(`Study ${detail.study}`) + `  (${detail.engine}, ${detail.strategy ?? '?'}, spaces ${(detail.spaces ?? []).join(' ')}, loss ${detail.loss ?? '?'})`,
    `  Trials ${detail.trials}: ${detail.completedTrials} complete, ${detail.failedTrials} failed, ${detail.runningTrials} running  ·  best loss ${loss(detail.bestLoss)}  ·  ${detail.storage}`,
  ]
  const trialTable = (rows: TrialRow[]) =>
    renderTable(rows, [
      {header: 'Trial', value: (t) => String(t.number), align: 'right'},
      {header: 'State', value: (t) => t.state},
      {header: 'Loss', value: (t) => loss(t.loss), align: 'right'},
      {header: 'Trades', value: (t) => String(t.metrics?.totalTrades ?? '–'), align: 'right'},
      {header: 'Profit', value: (t) => percent(t.metrics?.profitTotal), align: 'right'},
      {
        header: 'Params',
        value: (t) =>
          Object.entries(t.params)
            .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
            .join(' '),
      },
    ])
  if (detail.trial) {
    lines.push('', chalk.bold(`Trial ${detail.trial.number}`), indent(trialTable([detail.trial])))
    lines.push('', JSON.stringify({params: detail.trial.paramsDetails, notOptimized: detail.trial.paramsNotOptimized}, null, 2))
  } else if (detail.trialList) {
    if (detail.bestTrial) lines.push(`  Best trial ${detail.bestTrial.number}`)
    const chosen = detail.selection
    if (chosen) {
      const how = [chosen.filter.length > 0 ? `where ${chosen.filter.join(' and ')}` : '', chosen.sortBy ? `by ${chosen.sortBy}` : '', chosen.top ? `top ${chosen.top}` : '']
      lines.push(
        `  Showing ${detail.trialList.length} of ${chosen.total} trials (${chosen.matched} matched${how
          .filter(Boolean)
          .map((part) => `, ${part}`)
          .join('')})`,
      )
    }

    lines.push('', detail.trialList.length > 0 ? indent(trialTable(detail.trialList)) : '  No trial matches.')
  }

  return `${lines.join('\n')}\n`
}
