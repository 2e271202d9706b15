/**
 * A line chart for the terminal, drawn with braille cells (2×4 dots each), so a whole
 * equity curve fits in a few lines of a CI log too.
 */
export function brailleChart(values: number[], options: {width?: number; height?: number} = {}): string[] {
  const width = options.width ?? 60
  const height = options.height ?? 8
  if (values.length < 2) return []
  const dotsX = width * 2
  const dotsY = height * 4
  const min = Math.min(...values)
  const max = Math.max(...values)
  const span = max - min || 1
  const grid: number[][] = Array.from({length: height}, () => Array.from({length: width}, () => 0))
  const sample = (x: number) => values[Math.round((x / (dotsX - 1)) * (values.length - 1))]!
  let previous: number | undefined
  for (let x = 0; x < dotsX; x++) {
    const y = Math.round(((sample(x) - min) / span) * (dotsY - 1))
    // Fill vertically between neighbours so steep moves draw as a line, not dots.
    const [from, to] = previous === undefined ? [y, y] : [Math.min(previous, y), Math.max(previous, y)]
    for (let fill = from; fill <= to; fill++) setDot(grid, x, dotsY - 1 - fill)
    previous = y
  }

  return grid.map((row) => row.map((bits) => String.fromCodePoint(0x2800 + bits)).join(''))
}

// Braille dot bit for (column 0|1, row 0..3) inside one cell.
const DOT_BITS = [
  [0x01, 0x08],
  [0x02, 0x10],
  [0x04, 0x20],
  [0x40, 0x80],
]

function setDot(grid: number[][], x: number, y: number): void {
  const row = grid[Math.floor(y / 4)]
  if (!row) return
  row[Math.floor(x / 2)]! |= DOT_BITS[y % 4]![x % 2]!
}
