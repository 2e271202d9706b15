/**
 * Small inline SVG charts for the HTML report: no library, no network, a time axis with dated
 * ticks. A balance only moves when a trade closes, so series are drawn as steps.
 */

export interface TimePoint {
  t: number
  v: number
}

export interface ChartOptions {
  title: string
  unit: string
  width?: number
  height?: number
  color?: string
  /** Fill the area under the line (drawdown). */
  fill?: boolean
  /** Format a value for the y axis. */
  format?: (value: number) => string
}

export const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

const PAD = {left: 70, right: 16, top: 28, bottom: 36}

function ticks(lo: number, hi: number, count: number): number[] {
  if (hi <= lo) return [lo]
  return Array.from({length: count + 1}, (_, index) => lo + ((hi - lo) * index) / count)
}

function dateLabel(t: number, spanMs: number): string {
  const iso = new Date(t).toISOString()
  // Under ~10 days the ticks fall inside days: show the hour too, or labels repeat.
  return spanMs < 10 * 86_400_000 ? `${iso.slice(5, 10)} ${iso.slice(11, 16)}` : iso.slice(0, 10)
}

export function timeChartSvg(points: TimePoint[], options: ChartOptions): string {
  const width = options.width ?? 860
  const height = options.height ?? 260
  const format = options.format ?? ((value: number) => String(+value.toPrecision(6)))
  if (points.length === 0) return `<p class="empty">${escapeHtml(options.title)}: no data</p>`
  const times = points.map((p) => p.t)
  const values = points.map((p) => p.v)
  const [t0, t1] = [Math.min(...times), Math.max(...times)]
  let [v0, v1] = [Math.min(...values), Math.max(...values)]
  if (v0 === v1) [v0, v1] = [v0 - Math.abs(v0 || 1) * 0.01, v1 + Math.abs(v1 || 1) * 0.01]
  const plotW = width - PAD.left - PAD.right
  const plotH = height - PAD.top - PAD.bottom
  const x = (t: number) => PAD.left + ((t - t0) / Math.max(1, t1 - t0)) * plotW
  const y = (v: number) => PAD.top + plotH - ((v - v0) / (v1 - v0)) * plotH
  let d = ''
  for (const [index, point] of points.entries()) d += index === 0 ? `M${x(point.t).toFixed(1)},${y(point.v).toFixed(1)}` : `H${x(point.t).toFixed(1)}V${y(point.v).toFixed(1)}`
  const color = options.color ?? '#1f77b4'
  const area = options.fill ? `<path d="${d}V${y(v1 > 0 && v0 <= 0 ? 0 : v0).toFixed(1)}H${x(t0).toFixed(1)}Z" fill="${color}" fill-opacity="0.2" stroke="none"/>` : ''
  const yTicks = ticks(v0, v1, 4)
    .map(
      (v) =>
        `<line x1="${PAD.left}" x2="${width - PAD.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#eee"/><text x="${PAD.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${escapeHtml(format(v))}</text>`,
    )
    .join('')
  const xTicks = ticks(t0, t1, 5)
    .map((t, index, all) => {
      // The first and last labels align inward so they are never clipped at the chart's edges.
      const anchor = index === 0 ? 'start' : index === all.length - 1 ? 'end' : 'middle'
      return `<line x1="${x(t).toFixed(1)}" x2="${x(t).toFixed(1)}" y1="${PAD.top + plotH}" y2="${PAD.top + plotH + 4}" stroke="#999"/><text x="${x(t).toFixed(1)}" y="${PAD.top + plotH + 18}" text-anchor="${anchor}">${escapeHtml(dateLabel(t, t1 - t0))}</text>`
    })
    .join('')
  return [
    `<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(options.title)}">`,
    `<text x="${PAD.left}" y="18" class="chart-title">${escapeHtml(options.title)}</text>`,
    `<text x="${width - PAD.right}" y="18" text-anchor="end" class="chart-unit">${escapeHtml(options.unit)}</text>`,
    yTicks,
    `<line x1="${PAD.left}" y1="${PAD.top + plotH}" x2="${width - PAD.right}" y2="${PAD.top + plotH}" stroke="#999"/>`,
    xTicks,
    area,
    `<path d="${d}" fill="none" stroke="${color}" stroke-width="1.6"/>`,
    '</svg>',
  ].join('')
}

/** The fall from the running peak at every point, as a negative ratio (0 at a new high). */
export function drawdownSeries(points: TimePoint[]): TimePoint[] {
  let peak = -Infinity
  return points.map(({t, v}) => {
    peak = Math.max(peak, v)
    return {t, v: peak > 0 ? (v - peak) / peak : 0}
  })
}

/** A grid of coloured cells (sweep heatmap): green is better, red worse. */
export function heatmapHtml(
  rows: string[],
  columns: string[],
  cell: (row: number, column: number) => {value: number | null; text: string},
  lowerIsBetter: boolean,
  caption: string,
): string {
  const all: number[] = []
  for (let r = 0; r < rows.length; r++)
    for (let c = 0; c < columns.length; c++) {
      const value = cell(r, c).value
      if (value !== null) all.push(value)
    }

  const [lo, hi] = [Math.min(...all), Math.max(...all)]
  const color = (value: number | null) => {
    if (value === null) return '#f4f4f4'
    let level = hi === lo ? 1 : (value - lo) / (hi - lo)
    if (lowerIsBetter) level = 1 - level
    return `hsl(${Math.round(level * 120)}, 65%, 72%)`
  }

  const head = `<tr><th>${escapeHtml(caption)}</th>${columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr>`
  const body = rows
    .map(
      (row, r) =>
        `<tr><th>${escapeHtml(row)}</th>${columns
          .map((_, c) => {
            const {value, text} = cell(r, c)
            return `<td style="background:${color(value)}">${escapeHtml(text)}</td>`
          })
          .join('')}</tr>`,
    )
    .join('')
  return `<table class="heatmap">${head}${body}</table>`
}
