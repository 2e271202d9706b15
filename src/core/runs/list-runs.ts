import {readdir, readFile, stat} from 'node:fs/promises'
import path from 'node:path'

import type {BacktestResult} from '../backtest/run-backtest.js'
import {NotFoundError, UsageError} from '../errors.js'
import type {SweepResult} from '../sweep/run-sweep.js'
import type {WalkForwardResult} from '../walk-forward/run-walk-forward.js'
import {STATUS_FILE, type RunKind, type RunStatusRecord} from './status.js'

export const RUN_KINDS: readonly RunKind[] = ['backtest', 'sweep', 'walk-forward', 'shadow']

/** The file a finished run of each kind leaves in its folder. */
const RESULT_FILES: Array<[Exclude<RunKind, 'shadow'>, string]> = [
  ['backtest', 'tradai-result.json'],
  ['sweep', 'tradai-sweep.json'],
  ['walk-forward', 'tradai-walk-forward.json'],
]

export type RunDocument = {kind: 'backtest'; result: BacktestResult} | {kind: 'sweep'; result: SweepResult} | {kind: 'walk-forward'; result: WalkForwardResult}

export interface RunSummary {
  runId: string
  kind: RunKind
  strategy: string | null
  status: 'ok' | 'running' | 'failed' | 'interrupted' | 'incomplete'
  /** When the folder was made (the run's start). */
  createdAt: string
  pairs: string[]
  timeframe: string | null
  timerange: string | null
  /** The run's headline: a backtest's metrics, a sweep's best point, a walk-forward's out of sample. */
  totalTrades: number | null
  profitTotal: number | null
  maxDrawdown: number | null
  error: RunStatusRecord['error'] | null
  runDir: string
}

async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T
  } catch {
    return undefined
  }
}

const KIND_BY_PREFIX: Record<string, RunKind> = {bt: 'backtest', sw: 'sweep', wf: 'walk-forward', sh: 'shadow'}

/** A run folder's finished result, if it has one. */
export async function readRunDocument(runDir: string): Promise<RunDocument | undefined> {
  for (const [kind, file] of RESULT_FILES) {
    const result = await readJson<never>(path.join(runDir, file))
    if (result) return {kind, result} as RunDocument
  }

  return undefined
}

export async function summarizeRun(runDir: string): Promise<RunSummary> {
  const runId = path.basename(runDir)
  const created = (await stat(runDir)).birthtime
  const base: RunSummary = {
    runId,
    kind: KIND_BY_PREFIX[runId.slice(0, 2)] ?? 'backtest',
    strategy: null,
    status: 'incomplete',
    createdAt: (Number.isNaN(created.getTime()) || created.getTime() === 0 ? (await stat(runDir)).mtime : created).toISOString(),
    pairs: [],
    timeframe: null,
    timerange: null,
    totalTrades: null,
    profitTotal: null,
    maxDrawdown: null,
    error: null,
    runDir,
  }
  const document = await readRunDocument(runDir)
  if (document?.kind === 'backtest') {
    const {result} = document
    return {
      ...base,
      kind: 'backtest',
      status: 'ok',
      strategy: result.strategy,
      pairs: result.pairs,
      timeframe: result.timeframe,
      timerange: result.timerange,
      totalTrades: result.metrics.totalTrades,
      profitTotal: result.metrics.profitTotal,
      maxDrawdown: result.metrics.maxDrawdown,
    }
  }

  if (document?.kind === 'sweep') {
    const {result} = document
    return {
      ...base,
      kind: 'sweep',
      status: 'ok',
      strategy: result.strategy,
      pairs: result.pairs,
      timeframe: result.timeframe,
      timerange: result.timerange,
      totalTrades: result.best.metrics.totalTrades,
      profitTotal: result.best.metrics.profitTotal,
      maxDrawdown: result.best.metrics.maxDrawdown,
    }
  }

  if (document?.kind === 'walk-forward') {
    const {result} = document
    const a = result.aggregate
    return {
      ...base,
      kind: 'walk-forward',
      status: 'ok',
      strategy: result.strategy,
      pairs: result.pairs,
      timeframe: result.timeframe,
      timerange: `${result.windows[0]?.train.timerange.split('-')[0] ?? ''}-${result.windows.at(-1)?.test.timerange.split('-')[1] ?? ''}`,
      totalTrades: a.oosTotalTrades,
      profitTotal: a.oosProfitTotal,
      maxDrawdown: a.oosMaxDrawdown,
    }
  }

  const status = await readJson<RunStatusRecord>(path.join(runDir, STATUS_FILE))
  // `finished` without its result document is a folder missing files: incomplete.
  if (status) return {...base, kind: status.kind, strategy: status.strategy, status: status.status === 'finished' ? 'incomplete' : status.status, error: status.error}
  return base
}

export interface RunsQuery {
  /** Folders holding run folders (backtests, sweeps and walk-forwards share the output folder). */
  outputDirs: string[]
  strategy?: string
  kind?: string
  limit?: number
}

/** Every run folder, newest first (run ids start with their UTC start time). */
export async function listRuns(query: RunsQuery): Promise<RunSummary[]> {
  if (query.kind !== undefined && !RUN_KINDS.includes(query.kind as RunKind)) {
    throw new UsageError(`Unknown run kind "${query.kind}" (--kind).`, {suggestions: [`Use one of: ${RUN_KINDS.join(', ')}.`]})
  }

  if (query.limit !== undefined && (!Number.isInteger(query.limit) || query.limit < 1)) throw new UsageError(`--limit must be a whole number of at least 1, not ${query.limit}.`)
  const dirs: string[] = []
  for (const outputDir of query.outputDirs) {
    const entries = await readdir(outputDir, {withFileTypes: true}).catch(() => [])
    for (const entry of entries) if (entry.isDirectory() && /^[a-z]{2}-\d{8}-\d{6}-[0-9a-f]{6}$/.test(entry.name)) dirs.push(path.join(outputDir, entry.name))
  }

  dirs.sort((a, b) => path.basename(b).slice(3).localeCompare(path.basename(a).slice(3)))
  const runs: RunSummary[] = []
  for (const dir of dirs) {
    const run = await summarizeRun(dir)
    if (query.kind && run.kind !== query.kind) continue
    if (query.strategy && run.strategy !== query.strategy) continue
    runs.push(run)
    if (query.limit && runs.length >= query.limit) break
  }

  return runs
}

/** The folder of run `runId`; NotFoundError (exit 5) naming the newest runs otherwise. */
export async function findRun(outputDirs: string[], runId: string): Promise<string> {
  for (const outputDir of outputDirs) {
    const dir = path.join(outputDir, runId)
    const isDir = await stat(dir).then(
      (s) => s.isDirectory(),
      () => false,
    )
    if (isDir && !runId.includes('/') && !runId.includes('..')) return dir
  }

  const recent = (await listRuns({outputDirs, limit: 5})).map((run) => run.runId)
  throw new NotFoundError(`No run "${runId}" in ${outputDirs.join(', ')}.`, {
    code: 'RUN_NOT_FOUND',
    suggestions: [recent.length ? `Recent runs: ${recent.join(', ')} (\`tradai runs list\`).` : 'No runs yet: run `tradai strategy backtest` first.'],
    details: {available: recent},
  })
}

export interface RunDetail extends RunSummary {
  /** The run's full result document (what its command printed under --json), if it finished. */
  result: RunDocument['result'] | null
}

export async function showRun(outputDirs: string[], runId: string): Promise<RunDetail> {
  const dir = await findRun(outputDirs, runId)
  const summary = await summarizeRun(dir)
  return {...summary, result: (await readRunDocument(dir))?.result ?? null}
}

export interface RunComparison {
  runs: RunSummary[]
  /** metric → value per run, in the order asked. */
  metrics: Record<string, Array<number | null>>
  /** Params and settings that differ between the runs (name → value per run). */
  differences: Record<string, Array<unknown>>
}

const flatParams = (document: RunDocument | undefined): Record<string, unknown> => {
  if (!document) return {}
  if (document.kind === 'backtest') return Object.assign({}, ...Object.values(document.result.params))
  if (document.kind === 'sweep') return document.result.best.params
  return {}
}

/** `runs compare`: metrics side by side, and every param or setting that differs. */
export async function compareRuns(outputDirs: string[], runIds: string[]): Promise<RunComparison> {
  if (runIds.length < 2) throw new UsageError('runs compare needs at least two run ids.', {suggestions: ['Run `tradai runs list` to see the run ids.']})
  const dirs = await Promise.all(runIds.map((id) => findRun(outputDirs, id)))
  const runs = await Promise.all(dirs.map(summarizeRun))
  const documents = await Promise.all(dirs.map(readRunDocument))
  const metricsOf = (document: RunDocument | undefined): Record<string, number | null> => {
    if (!document) return {}
    if (document.kind === 'backtest') return document.result.metrics as unknown as Record<string, number | null>
    if (document.kind === 'sweep') return document.result.best.metrics as unknown as Record<string, number | null>
    return document.result.aggregate
  }

  const perRun = documents.map(metricsOf)
  const metricNames = [...new Set(perRun.flatMap((m) => Object.keys(m)))]
  const metrics = Object.fromEntries(metricNames.map((name) => [name, perRun.map((m) => m[name] ?? null)]))
  const settings = runs.map((run, index) => ({
    strategy: run.strategy,
    kind: run.kind,
    pairs: run.pairs.join(','),
    timeframe: run.timeframe,
    timerange: run.timerange,
    ...Object.fromEntries(Object.entries(flatParams(documents[index])).map(([name, value]) => [`param.${name}`, value])),
  }))
  const keys = [...new Set(settings.flatMap((s) => Object.keys(s)))]
  const differences = Object.fromEntries(
    keys
      .map((key) => [key, settings.map((s) => (s as Record<string, unknown>)[key] ?? null)] as const)
      .filter(([, values]) => new Set(values.map((v) => JSON.stringify(v))).size > 1),
  )
  return {runs, metrics, differences}
}
