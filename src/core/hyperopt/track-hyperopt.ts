import path from 'node:path'

import {InterruptedError, TradaiError} from '../errors.js'
import type {CoreContext} from '../events.js'
import {CLIENT_RUN_ID_TAG, type TrackedRun} from '../tracking/backtest-run.js'
import {deliverRun, type Journal} from '../tracking/deliver.js'
import {queueRun} from '../tracking/outbox.js'
import {experimentName} from '../tracking/paths.js'
import type {KeyValue, Metric, TrackingOutcome, TrackingPort} from '../tracking/port.js'
import {backtestTracking, type BacktestTracking} from '../tracking/track-backtest.js'
import type {BridgeHyperoptResult, HyperoptResult, TrialRow} from './result.js'

/** Tracking settings are the backtest's (enabled, experiment name, outbox, context, secrets). */
export const hyperoptTracking = backtestTracking

export type HyperoptTrackingOutcome = TrackingOutcome & {childRuns: number; queuedChildRuns: number}

const PARENT_TAG = 'mlflow.parentRunId'
/** Child runs in flight at once: enough to hide latency, few enough to be kind to the server. */
const CONCURRENCY = 4

/**
 * Records a study after its trials ran (so logging never slows a trial): one parent run per
 * study (found again by its client id when the study is continued) with the best params and
 * metrics, and one child run per trial of this run tagged mlflow.parentRunId. When MLflow is
 * away, the runs go to the outbox (`tradai tracking sync`) and the command still succeeds.
 */
export async function trackHyperopt(
  result: HyperoptResult,
  bridge: BridgeHyperoptResult,
  settings: BacktestTracking,
  port: TrackingPort,
  ctx: CoreContext,
): Promise<HyperoptTrackingOutcome> {
  if (!settings.enabled) {
    ctx.onEvent({type: 'stage', stage: 'tracking', status: 'skip'})
    return {status: 'disabled', runId: null, experimentId: null, url: null, childRuns: 0, queuedChildRuns: 0}
  }

  ctx.onEvent({type: 'stage', stage: 'tracking', status: 'start', message: port.uri})
  const experiment = experimentName(settings.experiment, result.strategy)
  const parent = parentRun(result, bridge, experiment, settings)
  const journal: Journal = {artifacts: []}
  let parentId: string
  let experimentId: string
  try {
    ;({experimentId, runId: parentId} = await deliverRun(port, parent, journal, {save: async () => {}}, ctx))
  } catch (error) {
    if (!(error instanceof TradaiError)) throw error
    const entry = await queueRun(settings.outboxDir, parent, journal)
    const trials = completed(bridge.trials)
    for (const trial of trials) await queueRun(settings.outboxDir, childRun(result, trial, experiment, settings, undefined), {artifacts: []})
    if (error instanceof InterruptedError || ctx.signal.aborted) throw error
    ctx.onEvent({type: 'log', level: 'warning', message: `Not recorded in MLflow: ${error.message} The study run and ${trials.length} trial run(s) are queued in ${settings.outboxDir}.`})
    ctx.onEvent({type: 'stage', stage: 'tracking', status: 'done', message: 'queued'})
    return {status: 'queued', runId: null, experimentId: null, url: null, reason: error.message, outboxEntry: entry, childRuns: 0, queuedChildRuns: trials.length}
  }

  const trials = completed(bridge.trials)
  let logged = 0
  let queued = 0
  const pending = [...trials]
  const worker = async () => {
    for (let trial = pending.shift(); trial; trial = pending.shift()) {
      const run = childRun(result, trial, experiment, settings, parentId)
      const childJournal: Journal = {artifacts: [], experimentId}
      try {
        await deliverRun(port, run, childJournal, {save: async () => {}, stage: 'tracking'}, {signal: ctx.signal, onEvent() {}})
        logged++
      } catch (error) {
        if (!(error instanceof TradaiError) || ctx.signal.aborted) throw error
        await queueRun(settings.outboxDir, run, childJournal)
        queued++
      }

      ctx.onEvent({type: 'progress', stage: 'tracking', current: logged + queued, total: trials.length, message: 'trial runs'})
    }
  }

  await Promise.all(Array.from({length: Math.min(CONCURRENCY, trials.length)}, worker))
  if (queued > 0) ctx.onEvent({type: 'log', level: 'warning', message: `${queued} trial run(s) queued in ${settings.outboxDir}; \`tradai tracking sync\` logs them.`})
  ctx.onEvent({type: 'stage', stage: 'tracking', status: 'done'})
  return {status: 'logged', runId: parentId, experimentId, url: port.runUrl(experimentId, parentId), childRuns: logged, queuedChildRuns: queued}
}

function completed(trials: TrialRow[]): TrialRow[] {
  return trials.filter((trial) => trial.state === 'complete')
}

function studyKey(result: HyperoptResult): string {
  // Freqtrade's results file is one run; an Optuna study outlives runs (and machines).
  return `hyperopt:${result.engine}:${result.study}`
}

function clean(entries: Record<string, unknown>, secrets: string[]): KeyValue[] {
  return Object.entries(entries)
    .filter(([, value]) => value !== undefined && value !== null)
    .map(([key, value]) => ({key, value: typeof value === 'string' ? value : JSON.stringify(value)}))
    .filter((entry) => !secrets.some((secret) => secret && entry.value.includes(secret)))
}

function numbers(prefix: string, values: Record<string, unknown> | null | undefined, at: number, step = 0): Metric[] {
  return Object.entries(values ?? {})
    .filter(([, value]) => typeof value === 'number' && Number.isFinite(value))
    .map(([key, value]) => ({key: `${prefix}${key}`, value: value as number, timestamp: at, step}))
}

function contextTags(settings: BacktestTracking): Record<string, string> {
  return {
    'tradai.version': settings.context.tradaiVersion,
    'tradai.host': settings.context.host,
    'mlflow.user': settings.context.user,
    'mlflow.source.type': 'LOCAL',
    ...Object.fromEntries(Object.entries(settings.context.ci).map(([name, value]) => [`ci.${name}`, value])),
  }
}

function parentRun(result: HyperoptResult, bridge: BridgeHyperoptResult, experiment: string, settings: BacktestTracking): TrackedRun {
  const now = Date.now()
  const best: Record<string, unknown> = {}
  for (const [space, values] of Object.entries(result.bestParams ?? {})) {
    for (const [name, value] of Object.entries(values)) best[`best.${space}.${name}`] = value
  }

  return {
    format: 1,
    clientRunId: studyKey(result),
    experimentName: experiment,
    runName: `hyperopt ${result.study}`,
    user: settings.context.user,
    startTime: now - Math.round(result.durationSeconds * 1000),
    endTime: now,
    // Params never change over a study's life (MLflow params are write-once); what moves is tags and metrics.
    params: clean({strategy: result.strategy, engine: result.engine, spaces: result.spaces.join(','), loss: result.loss, objectives: result.objectives.join(',')}, settings.secrets),
    metrics: [
      ...numbers('best.', result.bestMetrics as Record<string, unknown> | null, now),
      ...numbers('', {bestLoss: result.bestLoss, completedTrials: result.completedTrials, epochsPerSecond: result.epochsPerSecond}, now),
    ],
    tags: clean(
      {
        [CLIENT_RUN_ID_TAG]: studyKey(result),
        'tradai.kind': 'hyperopt-study',
        'tradai.strategy': result.strategy,
        'tradai.study': result.study,
        'tradai.bestTrial': result.bestTrial,
        'tradai.sampler': result.sampler,
        'tradai.storage': result.storage,
        'mlflow.runName': `hyperopt ${result.study}`,
        'mlflow.source.name': 'tradai hyperopt run',
        ...best,
        ...contextTags(settings),
      },
      settings.secrets,
    ),
    artifacts: [{path: `runs/${result.runId}.json`, file: path.join(result.runDir, 'tradai-hyperopt.json')}],
  }
}

function childRun(result: HyperoptResult, trial: TrialRow, experiment: string, settings: BacktestTracking, parentId: string | undefined): TrackedRun {
  const end = trial.complete ? Date.parse(trial.complete) : Date.now()
  const start = trial.start ? Date.parse(trial.start) : end
  const key = `${studyKey(result)}:trial:${trial.number}`
  return {
    format: 1,
    clientRunId: key,
    experimentName: experiment,
    runName: `${result.study} trial ${trial.number}`,
    user: settings.context.user,
    startTime: start,
    endTime: end,
    params: clean(Object.fromEntries(Object.entries(trial.params).map(([name, value]) => [`param.${name}`, value])), settings.secrets),
    metrics: [...numbers('', {loss: trial.loss}, end), ...numbers('', trial.metrics as Record<string, unknown> | null, end)],
    tags: clean(
      {
        [CLIENT_RUN_ID_TAG]: key,
        // Unknown while the parent waits in the outbox; `tradai.parentClientRunId` names it.
        ...(parentId ? {[PARENT_TAG]: parentId} : {}),
        'tradai.parentClientRunId': studyKey(result),
        'tradai.kind': 'hyperopt-trial',
        'tradai.strategy': result.strategy,
        'tradai.study': result.study,
        'tradai.trial': trial.number,
        'mlflow.runName': `${result.study} trial ${trial.number}`,
        'mlflow.source.name': 'tradai hyperopt run',
        ...contextTags(settings),
      },
      settings.secrets,
    ),
    artifacts: [],
  }
}
