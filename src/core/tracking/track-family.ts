import {InterruptedError, TradaiError} from '../errors.js'
import type {CoreContext} from '../events.js'
import type {TrackedRun} from './backtest-run.js'
import {deliverRun, type Journal} from './deliver.js'
import {queueRun} from './outbox.js'
import type {KeyValue, Metric, TrackingOutcome, TrackingPort} from './port.js'
import type {BacktestTracking} from './track-backtest.js'

export type FamilyTrackingOutcome = TrackingOutcome & {childRuns: number; queuedChildRuns: number}

export const PARENT_TAG = 'mlflow.parentRunId'
/** Child runs in flight at once: enough to hide latency, few enough to be kind to the server. */
const CONCURRENCY = 4

/**
 * One parent run and its children (a hyperopt study and its trials, a sweep and its points, a
 * walk-forward and its windows), logged after the work ran so logging never slows it. A child
 * knows its parent's MLflow id only once the parent is logged (`child(parentId)`); when MLflow
 * is away, the parent and every child go to the outbox and the command still succeeds.
 */
export async function trackFamily(
  parent: TrackedRun,
  children: Array<(parentId: string | undefined) => TrackedRun>,
  settings: BacktestTracking,
  port: TrackingPort,
  ctx: CoreContext,
  what: {parent: string; children: string},
): Promise<FamilyTrackingOutcome> {
  if (!settings.enabled) {
    ctx.onEvent({type: 'stage', stage: 'tracking', status: 'skip'})
    return {status: 'disabled', runId: null, experimentId: null, url: null, childRuns: 0, queuedChildRuns: 0}
  }

  ctx.onEvent({type: 'stage', stage: 'tracking', status: 'start', message: port.uri})
  const journal: Journal = {artifacts: []}
  let parentId: string
  let experimentId: string
  try {
    ;({experimentId, runId: parentId} = await deliverRun(port, parent, journal, {save: async () => {}}, ctx))
  } catch (error) {
    if (!(error instanceof TradaiError)) throw error
    const entry = await queueRun(settings.outboxDir, parent, journal)
    for (const child of children) await queueRun(settings.outboxDir, child(undefined), {artifacts: []})
    if (error instanceof InterruptedError || ctx.signal.aborted) throw error
    ctx.onEvent({
      type: 'log',
      level: 'warning',
      message: `Not recorded in MLflow: ${error.message} The ${what.parent} run and ${children.length} ${what.children} run(s) are queued in ${settings.outboxDir}.`,
    })
    ctx.onEvent({type: 'stage', stage: 'tracking', status: 'done', message: 'queued'})
    return {status: 'queued', runId: null, experimentId: null, url: null, reason: error.message, outboxEntry: entry, childRuns: 0, queuedChildRuns: children.length}
  }

  let logged = 0
  let queued = 0
  const pending = [...children]
  const worker = async () => {
    for (let child = pending.shift(); child; child = pending.shift()) {
      const run = child(parentId)
      const childJournal: Journal = {artifacts: [], experimentId}
      try {
        await deliverRun(port, run, childJournal, {save: async () => {}, stage: 'tracking'}, {signal: ctx.signal, onEvent() {}})
        logged++
      } catch (error) {
        if (!(error instanceof TradaiError) || ctx.signal.aborted) throw error
        await queueRun(settings.outboxDir, run, childJournal)
        queued++
      }

      ctx.onEvent({type: 'progress', stage: 'tracking', current: logged + queued, total: children.length, message: `${what.children} runs`})
    }
  }

  await Promise.all(Array.from({length: Math.min(CONCURRENCY, children.length)}, worker))
  if (queued > 0) ctx.onEvent({type: 'log', level: 'warning', message: `${queued} ${what.children} run(s) queued in ${settings.outboxDir}; \`tradai tracking sync\` logs them.`})
  ctx.onEvent({type: 'stage', stage: 'tracking', status: 'done'})
  return {status: 'logged', runId: parentId, experimentId, url: port.runUrl(experimentId, parentId), childRuns: logged, queuedChildRuns: queued}
}

/** Params/tags as MLflow strings, dropping empty values and any that would carry a secret. */
export function clean(entries: Record<string, unknown>, secrets: string[]): KeyValue[] {
  return Object.entries(entries)
    .filter(([, value]) => value !== undefined && value !== null)
    .map(([key, value]) => ({key, value: typeof value === 'string' ? value : JSON.stringify(value)}))
    .filter((entry) => !secrets.some((secret) => secret && entry.value.includes(secret)))
}

/** The finite numbers of `values` as metrics named `prefix + key`. */
export function numbers(prefix: string, values: Record<string, unknown> | null | undefined, at: number, step = 0): Metric[] {
  return Object.entries(values ?? {})
    .filter(([, value]) => typeof value === 'number' && Number.isFinite(value))
    .map(([key, value]) => ({key: `${prefix}${key}`, value: value as number, timestamp: at, step}))
}

/** Who ran it and where (the tags every tradai run carries). */
export function contextTags(settings: BacktestTracking): Record<string, string> {
  return {
    'tradai.version': settings.context.tradaiVersion,
    'tradai.host': settings.context.host,
    'mlflow.user': settings.context.user,
    'mlflow.source.type': 'LOCAL',
    ...Object.fromEntries(Object.entries(settings.context.ci).map(([name, value]) => [`ci.${name}`, value])),
  }
}
