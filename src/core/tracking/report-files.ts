import type {EquityPoint} from '../backtest/metrics.js'
import type {BacktestResult} from '../backtest/run-backtest.js'

/** The run's Markdown summary (an artifact, and the run's description in the MLflow UI). */
export function markdownSummary(result: BacktestResult): string {
  const m = result.metrics
  const fmt = tidyNumber
  const lines = [
    `# ${result.strategy} backtest ${result.runId}`,
    '',
    `- Strategy: ${result.strategyClass}${result.strategyVersion ? ` v${result.strategyVersion}` : ''}`,
    `- Exchange: ${result.exchange}, timeframe ${result.timeframe}, pairs ${result.pairs.join(', ')}`,
    `- Period: ${result.period.start} → ${result.period.end}`,
    `- Freqtrade ${result.engine.freqtrade}, markets ${result.marketsSource}`,
    '',
    '## Summary',
    '',
    '| Metric | Value |',
    '|---|---|',
    ...Object.entries(m).map(([key, value]) => `| ${key} | ${fmt(value)} |`),
    '',
    '## Per pair',
    '',
    '| Pair | Trades | Wins | Losses | Profit total | Profit abs |',
    '|---|---|---|---|---|---|',
    ...result.perPair.map((row) => `| ${row.key} | ${row.trades} | ${row.wins} | ${row.losses} | ${fmt(row.profitTotal)} | ${fmt(row.profitTotalAbs)} |`),
    '',
    '## Parameters',
    '',
    ...Object.entries(result.params).flatMap(([space, values]) => Object.entries(values).map(([name, value]) => `- ${space}.${name} = ${JSON.stringify(value)}`)),
    '',
  ]
  return `${lines.join('\n')}\n`
}

/**
 * A number as people read it: float noise trimmed to 8 significant digits (0.006588919999999998 →
 * 0.00658892), integers as they are. The exact values stay in tradai-result.json and Freqtrade's files.
 */
export function tidyNumber(value: unknown): string {
  if (value === null || value === undefined) return '–'
  if (typeof value !== 'number') return String(value)
  if (!Number.isFinite(value) || Number.isInteger(value)) return String(value)
  return String(Number(value.toPrecision(8)))
}

const WIDTH = 800
const HEIGHT = 320
const PAD = 48

/** The equity curve as a step chart (SVG, which the MLflow UI shows inline). */
export function equitySvg(points: EquityPoint[], currency: string, title: string): string {
  const times = points.map((point) => Date.parse(point.date))
  const balances = points.map((point) => point.balance)
  const [t0, t1] = [Math.min(...times), Math.max(...times)]
  let [b0, b1] = [Math.min(...balances), Math.max(...balances)]
  if (b0 === b1) [b0, b1] = [b0 - 1, b1 + 1]
  const x = (t: number) => PAD + ((t - t0) / Math.max(1, t1 - t0)) * (WIDTH - 2 * PAD)
  const y = (b: number) => HEIGHT - PAD - ((b - b0) / (b1 - b0)) * (HEIGHT - 2 * PAD)
  // A balance changes only when a trade closes: hold it flat until then (a step, not a slope).
  let d = ''
  points.forEach((point, index) => {
    const px = x(times[index]!).toFixed(1)
    const py = y(point.balance).toFixed(1)
    d += index === 0 ? `M${px},${py}` : `H${px}V${py}`
  })
  const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;')
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${PAD}" y="24" font-size="14">${escape(title)}</text>`,
    `<line x1="${PAD}" y1="${HEIGHT - PAD}" x2="${WIDTH - PAD}" y2="${HEIGHT - PAD}" stroke="#999"/>`,
    `<line x1="${PAD}" y1="${PAD}" x2="${PAD}" y2="${HEIGHT - PAD}" stroke="#999"/>`,
    `<text x="4" y="${y(b1) + 4}">${escape(String(+b1.toPrecision(6)))}</text>`,
    `<text x="4" y="${y(b0) + 4}">${escape(String(+b0.toPrecision(6)))}</text>`,
    `<text x="${PAD}" y="${HEIGHT - PAD + 16}">${escape(points[0]?.date.slice(0, 10) ?? '')}</text>`,
    `<text x="${WIDTH - PAD}" y="${HEIGHT - PAD + 16}" text-anchor="end">${escape(points.at(-1)?.date.slice(0, 10) ?? '')}</text>`,
    `<text x="${WIDTH - PAD}" y="24" text-anchor="end">balance (${escape(currency)})</text>`,
    `<path d="${d}" fill="none" stroke="#1f77b4" stroke-width="1.5"/>`,
    '</svg>',
    '',
  ].join('\n')
}
