import path from 'node:path'

import type {CoreContext} from '../events.js'
import {CLIENT_RUN_ID_TAG, type TrackedRun} from '../tracking/backtest-run.js'
import {experimentName} from '../tracking/paths.js'
import type {TrackingPort} from '../tracking/port.js'
import {backtestTracking, type BacktestTracking} from '../tracking/track-backtest.js'
import {clean, contextTags, numbers, PARENT_TAG, trackFamily, type FamilyTrackingOutcome} from '../tracking/track-family.js'
import type {BridgeHyperoptResult, HyperoptResult, TrialRow} from './result.js'
import {candleSourceTags} from '../data/arctic-store.js'

/** Tracking settings are the backtest's (enabled, experiment name, outbox, context, secrets). */
export const hyperoptTracking = backtestTracking

export type HyperoptTrackingOutcome = FamilyTrackingOutcome

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
  const experiment = experimentName(settings.experiment, result.strategy)
  const trials = bridge.trials.filter((trial) => trial.state === 'complete')
  return trackFamily(
    parentRun(result, bridge, experiment, settings),
    trials.map((trial) => (parentId: string | undefined) => childRun(result, trial, experiment, settings, parentId)),
    settings,
    port,
    ctx,
    {parent: 'study', children: 'trial'},
  )
}

function studyKey(result: HyperoptResult): string {
  // Freqtrade's results file is one run; an Optuna study outlives runs (and machines).
  return `hyperopt:${result.engine}:${result.study}`
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
    params: clean(
      {strategy: result.strategy, engine: result.engine, spaces: result.spaces.join(','), loss: result.loss, objectives: result.objectives.join(',')},
      settings.secrets,
    ),
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
        ...candleSourceTags(result.candleSource),
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
