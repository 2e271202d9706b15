import {readFile, writeFile} from 'node:fs/promises'
import path from 'node:path'

import {readStrategyStats, type StrategyStats} from '../backtest/freqtrade-result.js'
import type {BacktestMetrics, TableRow} from '../backtest/metrics.js'
import type {BacktestResult} from '../backtest/run-backtest.js'
import {LOWER_IS_BETTER} from '../challenge/criteria.js'
import type {SweepResult} from '../sweep/run-sweep.js'
import type {WalkForwardResult} from '../walk-forward/run-walk-forward.js'
import {findRun, listRuns, readRunDocument, type RunDocument} from '../runs/list-runs.js'
import {NotFoundError} from '../errors.js'
import {drawdownSeries, escapeHtml as e, heatmapHtml, timeChartSvg, type TimePoint} from './svg.js'

export const REPORT_FILE = 'report.html'

const pct = (v: number | null | undefined, digits = 2) => (v === null || v === undefined ? '–' : `${(v * 100).toFixed(digits)} %`)
const num = (v: number | null | undefined, digits = 3) => (v === null || v === undefined ? '–' : Number.isInteger(v) ? String(v) : v.toFixed(digits))
const RATIO_METRICS = new Set(['profitTotal', 'profitMean', 'maxDrawdown', 'maxRelativeDrawdown', 'winRate', 'cagr', 'marketChange'])
const metricText = (name: string, v: number | null | undefined) => (RATIO_METRICS.has(name) ? pct(v) : num(v))

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px auto;max-width:1100px;color:#222;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
.sub{color:#666;margin-bottom:16px}.cards{display:flex;flex-wrap:wrap;gap:8px}
.card{border:1px solid #ddd;border-radius:6px;padding:8px 12px;min-width:120px}.card b{display:block;font-size:18px}.card span{color:#666;font-size:12px}
table{border-collapse:collapse;margin:6px 0;font-size:13px}th,td{border:1px solid #e3e3e3;padding:3px 8px;text-align:right}th{background:#f7f7f7}
td:first-child,th:first-child{text-align:left}.pos{color:#137333}.neg{color:#b3261e}
.chart{max-width:100%;height:auto;font:11px sans-serif}.chart-title{font-size:13px;font-weight:600}.chart-unit{fill:#666}
.heatmap td{text-align:center;min-width:64px}details{margin:8px 0}.scroll{max-height:420px;overflow:auto}
`

function cards(items: Array<[string, string]>): string {
  return `<div class="cards">${items.map(([label, value]) => `<div class="card"><b>${e(value)}</b><span>${e(label)}</span></div>`).join('')}</div>`
}

function table(headers: string[], rows: string[][], id?: string): string {
  return `<table${id ? ` id="${id}"` : ''}><thead><tr>${headers.map((h) => `<th>${e(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`
}

const signed = (v: number | null | undefined, text: string) => `<span class="${v === null || v === undefined ? '' : v >= 0 ? 'pos' : 'neg'}">${e(text)}</span>`

function rowsTable(rows: TableRow[]): string {
  return table(
    ['Key', 'Trades', 'Wins', 'Draws', 'Losses', 'Win rate', 'Avg profit', 'Profit', 'Profit abs', 'Duration'],
    rows.map((r) => [
      e(r.key),
      String(r.trades),
      String(r.wins),
      String(r.draws),
      String(r.losses),
      pct(r.winRate),
      pct(r.profitMean),
      signed(r.profitTotal, pct(r.profitTotal)),
      num(r.profitTotalAbs, 8),
      e(r.durationAvg ?? '–'),
    ]),
  )
}

/** Share of the backtest's time with at least one trade open (the union of trade intervals). */
export function exposure(stats: StrategyStats): number | null {
  const start = Date.parse(`${stats.backtest_start.replace(' ', 'T')}${/Z|\+/.test(stats.backtest_start) ? '' : 'Z'}`)
  const end = Date.parse(`${stats.backtest_end.replace(' ', 'T')}${/Z|\+/.test(stats.backtest_end) ? '' : 'Z'}`)
  if (!(end > start)) return null
  const spans = stats.trades.map((t) => [t.open_timestamp, t.close_timestamp] as const).sort((a, b) => a[0] - b[0])
  let covered = 0
  let [from, to] = [Number.NaN, Number.NaN]
  for (const [open, close] of spans) {
    if (Number.isNaN(from) || open > to) {
      if (!Number.isNaN(from)) covered += to - from
      ;[from, to] = [open, close]
    } else to = Math.max(to, close)
  }

  if (!Number.isNaN(from)) covered += to - from
  return covered / (end - start)
}

function equityCharts(points: Array<{date: string; balance: number}>, currency: string, title: string): string {
  const series: TimePoint[] = points.map((p) => ({t: Date.parse(p.date), v: p.balance}))
  return (
    timeChartSvg(series, {title: `${title}: balance`, unit: currency}) +
    timeChartSvg(drawdownSeries(series), {title: `${title}: drawdown from peak`, unit: '%', color: '#b3261e', fill: true, height: 180, format: (v) => `${(v * 100).toFixed(1)}`})
  )
}

async function backtestSection(result: BacktestResult, heading: string): Promise<string> {
  const stats = await readStrategyStats(result.resultFile.replace(/\.zip$/, '.json'), result.strategyClass)
  const config = JSON.parse(await readFile(result.configFile, 'utf8').catch(() => '{}')) as {fee?: number}
  const m = result.metrics
  const fee = config.fee ?? (stats.trades[0] as {fee_open?: number} | undefined)?.fee_open ?? null
  const extra = stats as StrategyStats & {stake_amount?: number | string; max_open_trades?: number}
  const trades = [...stats.trades].sort((a, b) => a.open_timestamp - b.open_timestamp)
  const iso = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 16)
  const params = Object.entries(result.params).flatMap(([space, values]) => Object.entries(values).map(([name, value]) => [e(space), e(name), e(JSON.stringify(value))]))
  return [
    `<h2>${e(heading)}</h2>`,
    `<div class="sub">${e(result.strategyClass)} · ${e(result.exchange)} · ${e(result.timeframe)} · ${e(result.pairs.join(', '))} · ${e(result.period.start)} → ${e(result.period.end)} · Freqtrade ${e(result.engine.freqtrade)} · run ${e(result.runId)}</div>`,
    cards([
      ['Trades', String(m.totalTrades)],
      ['Profit', pct(m.profitTotal)],
      ['Profit abs', `${num(m.profitTotalAbs, 6)} ${result.stakeCurrency}`],
      ['Max drawdown', pct(m.maxDrawdown)],
      ['Win rate', pct(m.winRate)],
      ['CAGR', pct(m.cagr)],
      ['Sharpe', num(m.sharpe, 2)],
      ['Sortino', num(m.sortino, 2)],
      ['Calmar', num(m.calmar, 2)],
      ['SQN', num(m.sqn, 2)],
      ['Profit factor', num(m.profitFactor, 2)],
      ['Exposure', pct(exposure(stats), 1)],
      ['Market change', pct(m.marketChange)],
      ['Fee per side', fee === null ? '–' : pct(fee, 3)],
      ['Stake', String(extra.stake_amount ?? '–')],
      ['Max open trades', String(extra.max_open_trades ?? '–')],
      ['Starting balance', `${num(m.startingBalance, 6)} ${result.stakeCurrency}`],
      ['Final balance', `${num(m.finalBalance, 6)} ${result.stakeCurrency}`],
    ]),
    equityCharts(result.equityCurve, result.stakeCurrency, heading),
    '<h3>Per pair</h3>',
    rowsTable(result.perPair),
    '<h3>Exit reasons</h3>',
    rowsTable(result.exitReasons),
    '<h3>Parameters</h3>',
    params.length ? table(['Space', 'Name', 'Value'], params) : '<p>none</p>',
    `<h3>Trades (<span class="trade-count">${trades.length}</span>)</h3>`,
    `<div class="scroll">${table(
      ['Pair', 'Open', 'Close', 'Profit', 'Profit abs', 'Exit reason'],
      trades.map((t) => [e(t.pair), iso(t.open_timestamp), iso(t.close_timestamp), signed(t.profit_ratio, pct(t.profit_ratio)), num(t.profit_abs, 8), e(t.exit_reason ?? '–')]),
      'trades',
    )}</div>`,
  ].join('\n')
}

async function pointResult(runDir: string): Promise<BacktestResult | undefined> {
  const document = await readRunDocument(runDir)
  return document?.kind === 'backtest' ? document.result : undefined
}

async function sweepSection(result: SweepResult): Promise<string> {
  const names = Object.keys(result.grid)
  const metric = result.sortBy
  let heatmap = ''
  if (names.length === 2) {
    const [rowName, columnName] = names as [string, string]
    const rows = result.grid[rowName]!
    const columns = result.grid[columnName]!
    heatmap =
      `<h2>Heatmap of ${e(metric)}</h2>` +
      heatmapHtml(
        rows.map(String),
        columns.map(String),
        (r, c) => {
          const point = result.points.find((p) => String(p.params[rowName]) === String(rows[r]) && String(p.params[columnName]) === String(columns[c]))
          const value = point?.metrics[metric] ?? null
          return {value, text: metricText(metric, value)}
        },
        LOWER_IS_BETTER.has(metric),
        `${rowName} \\ ${columnName}`,
      )
  }

  const best = await pointResult(result.points[0]!.runDir)
  return [
    `<div class="sub">${result.points.length} points · ${e(result.pairs.join(', '))} · ${e(result.timeframe)} · ${e(result.timerange ?? 'all candles')} · jobs ${result.jobs} · ${result.durationSeconds.toFixed(1)} s · Freqtrade ${e(result.engine.freqtrade)}</div>`,
    cards([
      ['Points', String(result.points.length)],
      [`Best ${metric}`, metricText(metric, result.best.metrics[metric])],
      [
        'Best params',
        Object.entries(result.best.params)
          .map(([k, v]) => `${k}=${v}`)
          .join(' '),
      ],
    ]),
    heatmap,
    `<h2>Points by ${e(metric)}</h2>`,
    `<div class="scroll">${table(
      ['#', ...names, 'Trades', 'Profit', 'Drawdown', 'Sharpe', 'SQN', 'CAGR'],
      result.points.map((p) => [
        String(p.index + 1),
        ...names.map((n) => e(String(p.params[n]))),
        String(p.metrics.totalTrades),
        signed(p.metrics.profitTotal, pct(p.metrics.profitTotal)),
        pct(p.metrics.maxDrawdown),
        num(p.metrics.sharpe, 2),
        num(p.metrics.sqn, 2),
        pct(p.metrics.cagr),
      ]),
      'points',
    )}</div>`,
    best ? await backtestSection(best, 'Best point') : '',
  ].join('\n')
}

function metricsRow(m: BacktestMetrics): string[] {
  return [String(m.totalTrades), signed(m.profitTotal, pct(m.profitTotal)), pct(m.maxDrawdown)]
}

async function walkForwardSection(result: WalkForwardResult): Promise<string> {
  const a = result.aggregate
  const currency = (await pointResult(result.windows[0]!.outOfSample.runDir))?.stakeCurrency ?? ''
  return [
    `<div class="sub">${result.windows.length} windows · train ${result.trainDays} d · test ${result.testDays} d${result.anchored ? ' · anchored' : ' · rolling'} · ${result.epochs} epochs · spaces ${e(result.spaces.join(' '))} · ${e(result.loss)} · ${e(result.pairs.join(', '))} · ${result.durationSeconds.toFixed(1)} s</div>`,
    cards([
      ['OOS profit (stitched)', pct(a.oosProfitTotal)],
      ['OOS max drawdown', pct(a.oosMaxDrawdown)],
      ['OOS trades', String(a.oosTotalTrades)],
      ['Efficiency (OOS/IS per day)', num(a.efficiency, 2)],
      ['IS profit (sum)', pct(a.isProfitTotal)],
    ]),
    equityCharts(result.stitchedEquity, currency, 'Out of sample, stitched'),
    '<h2>Windows</h2>',
    table(
      ['#', 'Train', 'Test', 'IS trades', 'IS profit', 'IS drawdown', 'OOS trades', 'OOS profit', 'OOS drawdown', 'Efficiency', 'Best params'],
      result.windows.map((w) => [
        String(w.index + 1),
        e(w.train.timerange),
        e(w.test.timerange),
        ...metricsRow(w.inSample.metrics),
        ...metricsRow(w.outOfSample.metrics),
        num(w.efficiency, 2),
        e(
          Object.entries(w.bestParams ?? {})
            .map(([k, v]) => `${k}=${v}`)
            .join(' ') || '(defaults)',
        ),
      ]),
      'windows',
    ),
    '<h2>Parameter stability</h2>',
    table(
      ['Param', 'Values per window', 'Mean', 'Std', 'CV'],
      Object.entries(result.stability).map(([name, s]) => [e(name), e(s.values.map((v) => (v === null ? '–' : String(v))).join(', ')), num(s.mean), num(s.std), num(s.cv)]),
    ),
  ].join('\n')
}

function page(title: string, kind: string, strategy: string, body: string): string {
  // Everything inline: the file opens offline, from disk, with no request leaving the page.
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${e(title)}</title><style>${STYLE}</style></head>
<body data-kind="${e(kind)}"><h1><span id="strategy">${e(strategy)}</span> · ${e(kind)}</h1>
${body}
<p class="sub">Written by tradai on ${new Date().toISOString().slice(0, 19).replace('T', ' ')} UTC. Every number is Freqtrade's own.</p>
</body></html>
`
}

/** The HTML of one run folder's report. */
export async function renderRunReport(document: RunDocument): Promise<string> {
  if (document.kind === 'backtest')
    return page(`${document.result.strategy} backtest ${document.result.runId}`, 'backtest', document.result.strategy, await backtestSection(document.result, 'Backtest'))
  if (document.kind === 'sweep') return page(`${document.result.strategy} sweep ${document.result.runId}`, 'sweep', document.result.strategy, await sweepSection(document.result))
  return page(`${document.result.strategy} walk-forward ${document.result.runId}`, 'walk-forward', document.result.strategy, await walkForwardSection(document.result))
}

/** Writes `<runDir>/report.html` (and `out` if given); returns the paths written. */
export async function writeRunReport(runDir: string, out?: string): Promise<{file: string; runDir: string; kind: RunDocument['kind']}> {
  const document = await readRunDocument(runDir)
  if (!document) {
    throw new NotFoundError(`Run folder ${runDir} holds no finished run to report on.`, {
      code: 'RUN_NOT_FOUND',
      suggestions: ['`tradai runs show RUN_ID` says whether it failed or was interrupted.'],
    })
  }

  const html = await renderRunReport(document)
  const file = path.join(runDir, REPORT_FILE)
  await writeFile(file, html)
  if (out) await writeFile(out, html)
  return {file: out ?? file, runDir, kind: document.kind}
}

export interface ReportRequest {
  outputDirs: string[]
  runId?: string
  latest: boolean
  out?: string
}

/** `tradai report RUN_ID | --latest`. */
export async function reportRun(request: ReportRequest): Promise<{file: string; runId: string; kind: RunDocument['kind']}> {
  const latest = async () => (await listRuns({outputDirs: request.outputDirs})).find((run) => run.status === 'ok')?.runDir
  const runDir = request.runId ? await findRun(request.outputDirs, request.runId) : await latest()
  if (!runDir) throw new NotFoundError(`No finished runs in ${request.outputDirs.join(', ')}.`, {code: 'RUN_NOT_FOUND', suggestions: ['Run `tradai strategy backtest` first.']})
  const written = await writeRunReport(runDir, request.out)
  return {file: written.file, runId: path.basename(runDir), kind: written.kind}
}
