import chalk from 'chalk'
import path from 'node:path'

import type {StrategyListResult} from '../../core/strategy/list-strategies.js'
import type {StrategyDetails, StrategyParameter} from '../../core/strategy/show-strategy.js'
import {percent} from './format.js'
import {renderTable} from './table.js'

/** A path as the user would type it from here: relative inside the working directory. */
export function shownPath(file: string, cwd = process.cwd()): string {
  const relative = path.relative(cwd, file)
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file
}

/** `label  value` lines, labels aligned: the layout of every summary block. */
export function labelled(rows: Array<[string, string]>): string {
  const width = Math.max(...rows.map(([label]) => label.length))
  return rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`).join('\n')
}

export function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n')
}

export function renderStrategyList(result: StrategyListResult): string {
  if (result.strategies.length === 0) return `No strategies in ${shownPath(result.strategiesDir)}.\n`
  const table = renderTable(result.strategies, [
    {header: 'Name', value: (s) => s.name},
    {header: 'Version', value: (s) => (typeof s.metadata?.version === 'string' ? s.metadata.version : '–')},
    {header: 'Class', value: (s) => s.className ?? '–'},
    {header: 'Base', value: (s) => s.baseClass ?? '–'},
    {header: 'Timeframe', value: (s) => s.timeframe ?? s.metadata?.timeframe ?? '–'},
    {header: 'File', value: (s) => `${shownPath(s.file)}${s.line ? `:${s.line}` : ''}`},
    {header: 'Status', value: (s) => (s.status === 'ok' ? chalk.green('ok') : chalk.red('error'))},
  ])
  const lines = [table]
  // Say when the fast static read was not enough and a file had to be imported (seconds, not ms).
  const imported = [...new Set(result.strategies.filter((s) => s.source === 'import').map((s) => path.basename(s.file)))]
  if (imported.length > 0) {
    lines.push('', `Imported ${imported.length} file${imported.length === 1 ? '' : 's'} the source alone could not describe: ${imported.join(', ')}`)
  }

  const broken = result.strategies.filter((s) => s.error)
  if (broken.length > 0) {
    lines.push('', chalk.bold(`${broken.length} file(s) failed to load`))
    for (const {error} of broken) lines.push(`  ${chalk.red('✖')} ${shownPath(error!.file)}${error!.line ? `:${error!.line}` : ''}  ${error!.message}`)
  }

  return `${lines.join('\n')}\n`
}

export function renderStrategyDetails(strategy: StrategyDetails): string {
  const meta = strategy.metadata
  const about: Array<[string, string]> = [
    ['Name', `${strategy.name}${meta?.version ? ` v${meta.version}` : ''}`],
    ['Class', `${strategy.className} (${strategy.baseClass})`],
    ['File', shownPath(strategy.file)],
  ]
  if (meta?.description) about.push(['Description', meta.description])
  if (meta?.author) about.push(['Author', meta.author])
  if (meta?.tags?.length) about.push(['Tags', meta.tags.join(', ')])
  if (meta?.exchange) about.push(['Exchange', `${meta.exchange}${meta.tradingMode ? ` (${meta.tradingMode})` : ''}`])
  if (meta?.defaultPairs?.length) about.push(['Default pairs', meta.defaultPairs.join(', ')])
  about.push(['Params file', strategy.paramsFile ? shownPath(strategy.paramsFile) : 'none (code defaults)'])
  about.push(['Configuration', strategy.configFile ? `${shownPath(strategy.configFile)} (tradai config strategy show ${strategy.name})` : 'none'])

  const t = strategy.trailing
  const settings: Array<[string, string]> = [
    ['Timeframe', strategy.timeframe ?? '–'],
    ['Stoploss', percent(strategy.stoploss)],
    [
      'Trailing stop',
      t.trailingStop
        ? `on: ${percent(t.trailingStopPositive)} once profit passes ${percent(t.trailingStopPositiveOffset)}${t.trailingOnlyOffsetIsReached ? ' (only after the offset is reached)' : ''}`
        : 'off',
    ],
    ['Startup candles', String(strategy.startupCandleCount)],
    ['Can short', strategy.canShort ? 'yes' : 'no'],
    ['Interface version', String(strategy.interfaceVersion)],
  ]

  const roi = Object.entries(strategy.minimalRoi)
    .map(([minutes, ratio]) => ({minutes: Number(minutes), ratio}))
    .sort((a, b) => a.minutes - b.minutes)
  const lines = [
    chalk.bold('Strategy'),
    labelled(about),
    '',
    chalk.bold('Settings'),
    labelled(settings),
    '',
    chalk.bold('ROI table'),
    roi.length === 0
      ? '  none'
      : indent(
          renderTable(roi, [
            {header: 'After (min)', value: (row) => String(row.minutes), align: 'right'},
            {header: 'Take profit at', value: (row) => percent(row.ratio), align: 'right'},
          ]),
        ),
    '',
    chalk.bold('Parameters'),
    strategy.parameters.length === 0
      ? '  none'
      : indent(
          renderTable(strategy.parameters, [
            {header: 'Space', value: (p) => p.space},
            {header: 'Name', value: (p) => p.name},
            {header: 'Type', value: (p) => p.type},
            {header: 'Range', value: range},
            {header: 'Default', value: (p) => shown(p.default)},
            {header: 'Value', value: (p) => (p.value === p.default ? shown(p.value) : chalk.yellow(shown(p.value)))},
            {header: 'Optimize', value: (p) => (p.optimize ? 'yes' : 'no')},
          ]),
        ),
  ]
  return `${lines.join('\n')}\n`
}

function range(parameter: StrategyParameter): string {
  if (parameter.options) return parameter.options.map(shown).join(' | ')
  if (parameter.low === undefined || parameter.high === undefined) return '–'
  const step = parameter.decimals === undefined ? '' : ` (${parameter.decimals} decimals)`
  return `${parameter.low} … ${parameter.high}${step}`
}

function shown(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value)
}
