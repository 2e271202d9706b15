import {createHash} from 'node:crypto'
import {readFile, writeFile} from 'node:fs/promises'
import path from 'node:path'

import type {BacktestResult} from '../backtest/run-backtest.js'
import {candleSourceTags} from '../data/arctic-store.js'
import type {KeyValue, Metric} from './port.js'
import {markdownSummary, equitySvg} from './report-files.js'
import {gitCommit, type RunContext} from './run-context.js'
import {containsSecret, redactFreqtradeConfig, scrub} from './secrets.js'

/** One run as MLflow will hold it: what is logged live, or kept in the outbox until sync. */
export interface TrackedRun {
  format: 1
  /** tradai's run id: the idempotency key (tag `tradai.clientRunId`) that makes replays create the run once. */
  clientRunId: string
  experimentName: string
  runName: string
  user: string
  startTime: number
  endTime: number
  params: KeyValue[]
  metrics: Metric[]
  tags: KeyValue[]
  /** Artifact path in the run → local file (absolute; relative to the entry inside the outbox). */
  artifacts: Array<{path: string; file: string}>
}

export const CLIENT_RUN_ID_TAG = 'tradai.clientRunId'

export interface BuildRunOptions {
  experimentName: string
  context: RunContext
  /** Credential values that must appear nowhere in the run. */
  secrets: string[]
  startTime: number
  endTime: number
}

/**
 * The MLflow run for a finished backtest: params, metrics (the very numbers `--json` prints),
 * tags and artifacts. Writes the summary, chart and (when needed) a redacted config into the
 * run folder first, so every artifact is a local file too.
 */
export async function buildBacktestRun(result: BacktestResult, options: BuildRunOptions): Promise<{run: TrackedRun; warnings: string[]}> {
  const warnings: string[] = []
  const [configText, source, git] = await Promise.all([
    readFile(result.configFile, 'utf8'),
    readFile(result.strategyFile).catch(() => undefined),
    gitCommit(path.dirname(result.strategyFile)),
  ])
  const ftConfig = JSON.parse(configText) as Record<string, unknown>

  const params: Record<string, string | number | boolean | null | undefined> = {
    strategy: result.strategy,
    'strategy.class': result.strategyClass,
    'strategy.version': result.strategyVersion,
    'strategy.codeHash': source ? createHash('sha256').update(source).digest('hex') : undefined,
    'git.commit': git?.commit,
    'git.dirty': git?.dirty,
    exchange: result.exchange,
    tradingMode: stringOf(ftConfig.trading_mode),
    timeframe: result.timeframe,
    timerange: result.timerange ?? 'all',
    'period.start': result.period.start,
    'period.end': result.period.end,
    pairs: result.pairs.join(','),
    stakeCurrency: result.stakeCurrency,
    stakeAmount: stringOf(ftConfig.stake_amount),
    startingBalance: result.metrics.startingBalance,
    maxOpenTrades: stringOf(ftConfig.max_open_trades),
    fee: stringOf(ftConfig.fee) ?? 'exchange',
    marketsSource: result.marketsSource,
    'engine.freqtrade': result.engine.freqtrade,
    'engine.tradai': options.context.tradaiVersion,
  }
  for (const [space, values] of Object.entries(result.params)) {
    for (const [name, value] of Object.entries(values)) params[`param.${space}.${name}`] = typeof value === 'object' ? JSON.stringify(value) : (value as string)
  }

  const metrics: Metric[] = []
  const at = options.endTime
  for (const [key, value] of Object.entries(result.metrics)) {
    if (typeof value === 'number' && Number.isFinite(value)) metrics.push({key, value, timestamp: at, step: 0})
  }

  for (const row of result.perPair) {
    if (row.key === 'TOTAL') continue // the summary metrics already are the total
    for (const field of ['trades', 'wins', 'losses', 'draws', 'winRate', 'profitMean', 'profitTotal', 'profitTotalAbs', 'profitFactor', 'maxDrawdown'] as const) {
      const value = row[field]
      if (typeof value === 'number' && Number.isFinite(value)) metrics.push({key: `pair.${metricKey(row.key)}.${field}`, value, timestamp: at, step: 0})
    }
  }

  // The equity curve as a step series: step i = balance after the i-th closed trade, at its close time.
  result.equityCurve.forEach((point, step) => metrics.push({key: 'equity', value: point.balance, timestamp: Date.parse(point.date), step}))

  const summary = markdownSummary(result)
  const tags: Record<string, string> = {
    [CLIENT_RUN_ID_TAG]: result.runId,
    'tradai.kind': 'backtest',
    'tradai.strategy': result.strategy,
    'tradai.version': options.context.tradaiVersion,
    'tradai.host': options.context.host,
    'mlflow.user': options.context.user,
    'mlflow.runName': result.runId,
    'mlflow.source.type': 'LOCAL',
    'mlflow.source.name': 'tradai strategy backtest',
    'mlflow.note.content': summary,
    ...(git ? {'mlflow.source.git.commit': git.commit} : {}),
    ...candleSourceTags(result.candleSource),
    ...Object.fromEntries(Object.entries(options.context.ci).map(([name, value]) => [`ci.${name}`, value])),
  }

  // Artifacts: each one a file in the run folder, logged byte for byte.
  const files = {
    summary: path.join(result.runDir, 'summary.md'),
    chart: path.join(result.runDir, 'equity.svg'),
    redactedConfig: path.join(result.runDir, 'config.redacted.json'),
  }
  await writeFile(files.summary, summary)
  await writeFile(files.chart, equitySvg(result.equityCurve, result.stakeCurrency, `${result.strategy} ${result.runId}: balance after each closed trade`))
  const redaction = redactFreqtradeConfig(ftConfig)
  if (redaction.redacted) await writeFile(files.redactedConfig, `${JSON.stringify(redaction.config, null, 2)}\n`)
  const candidates = [
    {path: `freqtrade/${path.basename(result.resultFile)}`, file: result.resultFile},
    {path: 'freqtrade/config.json', file: redaction.redacted ? files.redactedConfig : result.configFile},
    ...result.strategyFiles.map((file) => ({path: `strategy/${path.basename(file)}`, file})),
    {path: 'tradai-result.json', file: path.join(result.runDir, 'tradai-result.json')},
    {path: 'summary.md', file: files.summary},
    {path: 'equity.svg', file: files.chart},
  ]
  const artifacts: TrackedRun['artifacts'] = []
  for (const artifact of candidates) {
    // A credential inside a file (a key pasted into a strategy) keeps that file off the server.
    if (options.secrets.length > 0 && containsSecret(await readFile(artifact.file), options.secrets)) {
      warnings.push(`${artifact.file} contains a credential value; not logged to MLflow.`)
      continue
    }

    artifacts.push(artifact)
  }

  const clean = (entries: Record<string, string | number | boolean | null | undefined>): KeyValue[] =>
    Object.entries(entries)
      .filter(([, value]) => value !== undefined && value !== null && value !== '')
      .map(([key, value]) => ({key, value: scrub(String(value), options.secrets)}))

  return {
    run: {
      format: 1,
      clientRunId: result.runId,
      experimentName: options.experimentName,
      runName: result.runId,
      user: options.context.user,
      startTime: options.startTime,
      endTime: options.endTime,
      params: clean(params),
      metrics,
      tags: clean(tags),
      artifacts,
    },
    warnings,
  }
}

/** MLflow keys allow letters, digits, `_ - . / ` and space; a futures pair's `:` does not pass. */
function metricKey(text: string): string {
  return text.replace(/[^\w\-./ ]/g, '_')
}

function stringOf(value: unknown): string | undefined {
  return value === undefined || value === null ? undefined : String(value)
}
