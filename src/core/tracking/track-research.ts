import {existsSync} from 'node:fs'
import path from 'node:path'

import type {CoreContext} from '../events.js'
import {REPORT_FILE} from '../report/html-report.js'
import {CLIENT_RUN_ID_TAG, type TrackedRun} from './backtest-run.js'
import {experimentName} from './paths.js'
import type {Metric, TrackingPort} from './port.js'
import type {BacktestTracking} from './track-backtest.js'
import {clean, contextTags, numbers, PARENT_TAG, trackFamily, type FamilyTrackingOutcome} from './track-family.js'

/** Metric groups: each group's finite numbers, named `prefix + key`. */
export type MetricGroups = Array<{prefix: string; values: Record<string, unknown> | null | undefined}>

/** A research run (sweep, walk-forward) as MLflow sees it: a parent with settings and one child per unit of work. */
export interface ResearchFamily {
  /** 'sweep' or 'walk-forward': the parent's tradai.kind and the client run id's prefix. */
  kind: string
  /** The child's noun ('point', 'window'): its tradai.<noun> tag holds its index. */
  childNoun: string
  runId: string
  strategy: string
  runDir: string
  /** The result document in the run folder, logged as an artifact with the HTML report when there is one. */
  resultFile: string
  durationSeconds: number
  params: Record<string, unknown>
  metrics: MetricGroups
  tags?: Record<string, unknown>
  children: Array<{index: number; params: Record<string, unknown>; metrics: MetricGroups}>
}

const metricsOf = (groups: MetricGroups, at: number): Metric[] => groups.flatMap(({prefix, values}) => numbers(prefix, values, at))

/**
 * A sweep or walk-forward in MLflow: one parent run and a child run per point or window, tagged
 * mlflow.parentRunId (trackFamily logs them after the work, or queues them when MLflow is away).
 * The one place both build their runs, so their tags and names cannot drift apart.
 */
export async function trackResearch(family: ResearchFamily, settings: BacktestTracking, port: TrackingPort, ctx: CoreContext): Promise<FamilyTrackingOutcome> {
  const experiment = experimentName(settings.experiment, family.strategy)
  const end = Date.now()
  const start = end - Math.round(family.durationSeconds * 1000)
  const key = `${family.kind}:${family.runId}`
  const name = `${family.kind} ${family.runId}`
  const source = `tradai strategy ${family.kind}`
  const report = path.join(family.runDir, REPORT_FILE)
  const parent: TrackedRun = {
    format: 1,
    clientRunId: key,
    experimentName: experiment,
    runName: name,
    user: settings.context.user,
    startTime: start,
    endTime: end,
    params: clean(family.params, settings.secrets),
    metrics: metricsOf(family.metrics, end),
    tags: clean(
      {
        [CLIENT_RUN_ID_TAG]: key,
        'tradai.kind': family.kind,
        'tradai.strategy': family.strategy,
        'tradai.runId': family.runId,
        'mlflow.runName': name,
        'mlflow.source.name': source,
        ...family.tags,
        ...contextTags(settings),
      },
      settings.secrets,
    ),
    artifacts: [{path: family.resultFile, file: path.join(family.runDir, family.resultFile)}, ...(existsSync(report) ? [{path: REPORT_FILE, file: report}] : [])],
  }
  const child =
    (entry: ResearchFamily['children'][number]) =>
    (parentId: string | undefined): TrackedRun => {
      const childKey = `${key}:${family.childNoun}:${entry.index}`
      const childName = `${name} ${family.childNoun} ${entry.index + 1}`
      return {
        format: 1,
        clientRunId: childKey,
        experimentName: experiment,
        runName: childName,
        user: settings.context.user,
        startTime: start,
        endTime: end,
        params: clean(entry.params, settings.secrets),
        metrics: metricsOf(entry.metrics, end),
        tags: clean(
          {
            [CLIENT_RUN_ID_TAG]: childKey,
            ...(parentId ? {[PARENT_TAG]: parentId} : {}),
            'tradai.parentClientRunId': key,
            'tradai.kind': `${family.kind}-${family.childNoun}`,
            'tradai.strategy': family.strategy,
            [`tradai.${family.childNoun}`]: entry.index,
            'mlflow.runName': childName,
            'mlflow.source.name': source,
            ...contextTags(settings),
          },
          settings.secrets,
        ),
        artifacts: [],
      }
    }

  return trackFamily(parent, family.children.map(child), settings, port, ctx, {parent: family.kind, children: family.childNoun})
}

/** `param.<name>` entries: how a point's or window's strategy parameters are logged. */
export const paramEntries = (params: Record<string, unknown> | null | undefined): Record<string, unknown> =>
  Object.fromEntries(Object.entries(params ?? {}).map(([name, value]) => [`param.${name}`, value]))
