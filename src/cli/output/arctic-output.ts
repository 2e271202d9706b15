import type {ArcticListResult, SymbolWritten} from '../../core/data/arctic-data.js'
import {renderTable} from './table.js'

const day = (iso: string | null) => (iso === null ? '–' : iso.replace('T', ' ').replace(/:00Z$|Z$/, ''))

export function renderArcticSymbols(title: string, symbols: Array<SymbolWritten & {file?: string}>): string {
  const table = renderTable(symbols, [
    {header: 'SYMBOL', value: (row) => row.symbol},
    {header: 'VERSION', value: (row) => String(row.version), align: 'right'},
    {header: 'ROWS', value: (row) => String(row.rows), align: 'right'},
    {header: 'FIRST', value: (row) => day(row.first)},
    {header: 'LAST', value: (row) => day(row.last)},
    ...(symbols.some((row) => row.file) ? [{header: 'FILE', value: (row: SymbolWritten & {file?: string}) => row.file ?? ''}] : []),
  ])
  return `${title}\n${table}\n`
}

export function renderArcticList(result: ArcticListResult): string {
  if (result.libraries.length === 0) return `No libraries in ${result.uri}. Import candles with: tradai data import PATH --to arcticdb\n`
  const rows = result.libraries.flatMap((library) => library.symbols.map((symbol) => ({library: library.library, ...symbol})))
  const table = renderTable(rows, [
    {header: 'LIBRARY', value: (row) => row.library},
    {header: 'SYMBOL', value: (row) => row.symbol},
    // What the name says (data.arcticSymbolTemplate read backwards); – when it does not follow it.
    {header: 'PAIR', value: (row) => row.pair ?? '–'},
    {header: 'TYPE', value: (row) => row.candleType ?? '–'},
    {header: 'FIRST', value: (row) => day(row.first)},
    {header: 'LAST', value: (row) => day(row.last)},
    {header: 'ROWS', value: (row) => String(row.rows), align: 'right'},
    {header: 'GAPS', value: (row) => (row.gaps === null ? '–' : String(row.gaps)), align: 'right'},
    {header: 'VERSION', value: (row) => String(row.version), align: 'right'},
  ])
  return `${result.uri}\n${table}\n`
}
