import chalk from 'chalk'
import path from 'node:path'

import type {DataFile, DataListResult} from '../../core/data/list-data.js'
import type {DataDownloadResult} from '../../core/data/download-data.js'
import type {DataImportResult} from '../../core/data/import-data.js'
import type {MarketsResult} from '../../core/data/save-markets.js'
import type {DataSampleResult} from '../../core/data/sample-data.js'
import {shownPath} from './strategy-output.js'
import {renderTable} from './table.js'

/** ISO UTC as `2018-01-10 05:00` : minutes are the finest candle tradai shows. */
function when(iso: string | null): string {
  return iso === null ? '–' : iso.replace('T', ' ').replace(/:00Z$|Z$/, '')
}

/** Minutes as the largest sensible unit: 45m, 3h 20m, 2d 4h. */
export function duration(minutes: number | null): string {
  if (minutes === null) return '–'
  const days = Math.floor(minutes / 1440)
  const hours = Math.floor((minutes % 1440) / 60)
  const rest = minutes % 60
  const parts = [days ? `${days}d` : '', hours ? `${hours}h` : '', rest ? `${rest}m` : ''].filter(Boolean)
  return parts.slice(0, 2).join(' ') || '0m'
}

type CandleSummary = Pick<DataFile, 'pair' | 'timeframe' | 'first' | 'last' | 'count' | 'gaps' | 'largestGap'>

function candleColumns<Row extends CandleSummary>() {
  return [
    {header: 'Pair', value: (row: Row) => row.pair},
    {header: 'Timeframe', value: (row: Row) => row.timeframe},
    {header: 'First', value: (row: Row) => when(row.first)},
    {header: 'Last', value: (row: Row) => when(row.last)},
    {header: 'Candles', value: (row: Row) => String(row.count), align: 'right' as const},
    {header: 'Missing', value: (row: Row) => (row.gaps > 0 ? chalk.yellow(String(row.gaps)) : '0'), align: 'right' as const},
    {header: 'Largest gap', value: (row: Row) => duration(row.largestGap), align: 'right' as const},
  ]
}

export function renderDataList(result: DataListResult): string {
  if (result.files.length === 0) {
    return `No candle files under ${shownPath(result.dataDir)}.\n  → tradai data download, tradai data import PATH, or tradai data sample\n`
  }

  const table = renderTable(result.files, [
    {header: 'Exchange', value: (row) => row.exchange},
    ...candleColumns<DataFile>().slice(0, 2),
    {header: 'Type', value: (row) => row.candleType},
    {header: 'Format', value: (row) => row.format},
    ...candleColumns<DataFile>().slice(2),
    {header: 'Status', value: (row) => (row.status === 'ok' ? 'ok' : chalk.red(row.status === 'bad-rows' ? `${row.badRows} bad rows` : 'unreadable'))},
  ])
  const problems = result.files.filter((file) => file.problem).map((file) => `  ${chalk.yellow('!')} ${shownPath(file.file)}: ${file.problem}`)
  return `${table}\n\n${result.files.length} file(s) under ${shownPath(result.dataDir)}\n${problems.length ? `${problems.join('\n')}\n` : ''}`
}

export function renderDataImport(result: DataImportResult): string {
  const table = renderTable(result.imported, [
    {header: 'Source', value: (row) => shownPath(row.source)},
    {header: 'Pair', value: (row) => row.pair},
    {header: 'Timeframe', value: (row) => row.timeframe},
    {header: 'First', value: (row) => when(row.first)},
    {header: 'Last', value: (row) => when(row.last)},
    {header: 'Candles', value: (row) => String(row.count), align: 'right'},
    {header: 'Written to', value: (row) => shownPath(row.file)},
  ])
  return `${table}\n\nImported ${result.imported.length} file(s) for ${result.exchange}.\n`
}

export function renderDataDownload(result: DataDownloadResult): string {
  if (result.files.length === 0) return `Nothing downloaded from ${result.exchange}.\n`
  const table = renderTable(result.files, candleColumns())
  return `${table}\n\n${result.files.length} file(s) from ${result.exchange} under ${shownPath(commonDir(result.files.map((f) => f.file)))}\n`
}

export function renderMarkets(result: MarketsResult): string {
  return `Saved ${result.count} ${result.exchange} markets to ${shownPath(result.file)}.\nBacktests on ${result.exchange} now use them instead of synthesized markets.\n`
}

export function renderDataSample(result: DataSampleResult): string {
  const lines = [
    chalk.yellow(`SYNTHETIC candles (seed ${result.seed}), not market data: for demos and first runs only.`),
    ...result.files.map((file) => `  ${shownPath(file)}`),
    '',
    `${result.pairs.join(', ')} · ${result.timeframe} · ${result.count} candles each (${result.days} ${result.days === 1 ? 'day' : 'days'}) · ${result.exchange}`,
    `What they are: ${shownPath(result.marker)}`,
  ]
  return `${lines.join('\n')}\n`
}

function commonDir(files: string[]): string {
  const dirs = [...new Set(files.map((file) => path.dirname(file)))]
  return dirs.join(', ')
}
