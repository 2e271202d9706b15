import chalk from 'chalk'

import type {WalkForwardResult} from '../../core/walk-forward/run-walk-forward.js'
import type {TrackingOutcome} from '../../core/tracking/port.js'
import {brailleChart} from './chart.js'
import {decimal, percent} from './format.js'
import {renderTable} from './table.js'

const indent = (text: string) =>
  text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n')

/** `strategy walk-forward`: every window in and out of sample, the aggregate, the stitched equity. */
export function renderWalkForward(result: WalkForwardResult & {tracking?: TrackingOutcome; reportFile?: string}): string {
  const a = result.aggregate
  const lines = [
    chalk.bold(`Walk-forward ${result.runId}`) +
      `  ${result.strategy} · ${result.windows.length} window(s) · train ${result.trainDays} d, test ${result.testDays} d${result.anchored ? ' (anchored)' : ''} · ${result.epochs} epochs · ${result.pairs.join(' ')} · ${result.durationSeconds.toFixed(1)} s`,
    '',
    indent(
      renderTable(result.windows, [
        {header: '#', value: (w) => String(w.index + 1), align: 'right'},
        {header: 'Train', value: (w) => w.train.timerange},
        {header: 'Test', value: (w) => w.test.timerange},
        {header: 'IS trades', value: (w) => String(w.inSample.metrics.totalTrades), align: 'right'},
        {header: 'IS profit', value: (w) => percent(w.inSample.metrics.profitTotal), align: 'right'},
        {header: 'OOS trades', value: (w) => String(w.outOfSample.metrics.totalTrades), align: 'right'},
        {header: 'OOS profit', value: (w) => percent(w.outOfSample.metrics.profitTotal), align: 'right'},
        {header: 'OOS drawdown', value: (w) => percent(w.outOfSample.metrics.maxDrawdown), align: 'right'},
        {header: 'Efficiency', value: (w) => decimal(w.efficiency), align: 'right'},
        {
          header: 'Best params',
          value: (w) =>
            Object.entries(w.bestParams ?? {})
              .map(([k, v]) => `${k}=${v}`)
              .join(' ') || '(defaults)',
        },
      ]),
    ),
    '',
    chalk.bold('Out of sample, stitched') +
      `  profit ${percent(a.oosProfitTotal)} · max drawdown ${percent(a.oosMaxDrawdown)} · ${a.oosTotalTrades} trades · efficiency ${decimal(a.efficiency)} (OOS return/day ÷ IS return/day)`,
  ]
  if (result.stitchedEquity.length > 2)
    lines.push(
      ...brailleChart(
        result.stitchedEquity.map((p) => p.balance),
        {width: 60, height: 4},
      ).map((line) => `  ${line}`),
    )
  const stable = Object.entries(result.stability)
  if (stable.length > 0) {
    lines.push('', chalk.bold('Parameter stability across windows'))
    lines.push(
      indent(
        renderTable(stable, [
          {header: 'Param', value: ([name]) => name},
          {header: 'Values', value: ([, s]) => s.values.map((v) => (v === null ? '–' : String(v))).join(' ')},
          {header: 'Mean', value: ([, s]) => decimal(s.mean, 3), align: 'right'},
          {header: 'CV', value: ([, s]) => decimal(s.cv, 3), align: 'right'},
        ]),
      ),
    )
  }

  lines.push('', `Run folder  ${result.runDir}`)
  if (result.reportFile) lines.push(`Report      ${result.reportFile}`)
  if (result.tracking?.status === 'logged') lines.push(`MLflow      ${result.tracking.url}`)
  else if (result.tracking?.status === 'queued') lines.push(`MLflow      queued (${result.tracking.reason ?? 'server unreachable'}); \`tradai tracking sync\` logs it`)
  return `${lines.join('\n')}\n`
}
