export interface Column<Row> {
  header: string
  value: (row: Row) => string
  align?: 'left' | 'right'
}

/** A plain aligned text table (no borders: reads well in CI logs and pipes). */
export function renderTable<Row>(rows: Row[], columns: Array<Column<Row>>): string {
  const cells = rows.map((row) => columns.map((column) => column.value(row)))
  const widths = columns.map((column, index) => Math.max(column.header.length, ...cells.map((row) => visibleLength(row[index]!))))
  const line = (values: string[]) =>
    values
      .map((value, index) => {
        const pad = ' '.repeat(widths[index]! - visibleLength(value))
        return columns[index]!.align === 'right' ? pad + value : value + pad
      })
      .join('  ')
      .trimEnd()
  return [line(columns.map((column) => column.header)), line(widths.map((width) => '─'.repeat(width))), ...cells.map(line)].join('\n')
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001B\[[0-9;]*m/g

function visibleLength(text: string): number {
  return text.replace(ANSI, '').length
}
