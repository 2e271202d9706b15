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

/** One line of an overlaid chart: points on shared axes (x increasing, e.g. epoch ms). */
export interface ChartSeries {
  label: string
  points: Array<{x: number; y: number}>
  /** Drawn dashed (every other cell), so it stays apart from a solid line without colour too. */
  dotted?: boolean
}

export interface OverlayOptions {
  width?: number
  height?: number
  /** Colours a run of cells drawn by one series (its index), or by several (-1). Default: as is. */
  paint?: (text: string, owner: number) => string
  /** Formats the y-axis labels and the legend's final values. */
  formatY?: (value: number) => string
  /** Formats the x-axis labels (the first and last x). */
  formatX?: (value: number) => string
}

/**
 * Several series on one braille canvas with shared x and y axes (an equity comparison): each
 * series is a step line (its value holds until its next point, as a balance does between
 * trades), solid or dotted, in its own colour; cells both draw are painted as shared (-1).
 * Returns the rows with the y range on the left, the x range below and a legend.
 */
export function overlayChart(series: ChartSeries[], options: OverlayOptions = {}): string[] {
  const drawn = series.filter((entry) => entry.points.length > 0)
  if (drawn.length === 0 || drawn.every((entry) => entry.points.length < 2)) return []
  const width = options.width ?? 60
  const height = options.height ?? 8
  const paint = options.paint ?? ((text: string) => text)
  const formatY = options.formatY ?? ((value: number) => String(value))
  const formatX = options.formatX ?? ((value: number) => String(value))
  const dotsX = width * 2
  const dotsY = height * 4
  const xs = drawn.flatMap((entry) => entry.points.map((point) => point.x))
  const ys = drawn.flatMap((entry) => entry.points.map((point) => point.y))
  const [xMin, xMax] = [Math.min(...xs), Math.max(...xs)]
  const [yMin, yMax] = [Math.min(...ys), Math.max(...ys)]
  const ySpan = yMax - yMin || 1
  const xSpan = xMax - xMin || 1

  const grids = series.map((entry) => {
    const grid: number[][] = Array.from({length: height}, () => Array.from({length: width}, () => 0))
    const points = [...entry.points].sort((a, b) => a.x - b.x)
    let previous: number | undefined
    let next = 0
    for (let x = 0; x < dotsX; x++) {
      const t = xMin + (x / (dotsX - 1)) * xSpan
      while (next < points.length && points[next]!.x <= t) next++
      if (next === 0) continue // before the series' first point: nothing to draw yet
      if (entry.dotted && x % 4 >= 2) continue // dashes: one cell drawn, one left blank
      const y = Math.round(((points[next - 1]!.y - yMin) / ySpan) * (dotsY - 1))
      const [from, to] = previous === undefined ? [y, y] : [Math.min(previous, y), Math.max(previous, y)]
      for (let fill = from; fill <= to; fill++) setDot(grid, x, dotsY - 1 - fill)
      previous = y
    }

    return grid
  })

  const yLabels = [formatY(yMax), formatY(yMin)]
  const labelWidth = Math.max(...yLabels.map((label) => label.length))
  const rows = Array.from({length: height}, (_, row) => {
    let line = ''
    let run = ''
    let runOwner: number | null = null
    const flush = () => {
      if (run) line += runOwner === null ? run : paint(run, runOwner)
      run = ''
    }

    for (let column = 0; column < width; column++) {
      const owners = grids.flatMap((grid, index) => (grid[row]![column]! === 0 ? [] : [index]))
      const bits = grids.reduce((all, grid) => all | grid[row]![column]!, 0)
      const owner = owners.length === 0 ? null : owners.length === 1 ? owners[0]! : -1
      if (owner !== runOwner) flush()
      runOwner = owner
      run += String.fromCodePoint(0x2800 + bits)
    }

    flush()
    const label = row === 0 ? yLabels[0]! : row === height - 1 ? yLabels[1]! : ''
    return `${label.padStart(labelWidth)} ┤${line}`
  })
  const [first, last] = [formatX(xMin), formatX(xMax)]
  const axis = `${' '.repeat(labelWidth)} └${'─'.repeat(width)}`
  const xLabels = `${' '.repeat(labelWidth + 2)}${first}${last.padStart(Math.max(width - first.length, last.length + 1))}`
  const legend = series.map(
    (entry, index) => `${paint(entry.dotted ? '⠤⠀⠤⠀' : '⠤⠤⠤⠤', index)} ${entry.label}${entry.points.length > 0 ? ` (final ${formatY(entry.points.at(-1)!.y)})` : ' (no points)'}`,
  )
  return [...rows, axis, xLabels, `${' '.repeat(labelWidth + 2)}${legend.join('   ')}`]
}
