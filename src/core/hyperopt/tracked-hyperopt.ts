import path from 'node:path'

import type {EnginePort} from '../ports/engine.js'
import {dataSettingsFromConfig} from '../backtest/request.js'
import type {ResolvedConfig} from '../config/load.js'
import {UsageError} from '../errors.js'
import type {CoreContext} from '../events.js'
import type {BacktestTracking} from '../tracking/track-backtest.js'
import type {TrackingPort} from '../tracking/port.js'
import type {HyperoptEngineName, HyperoptRequest} from './request.js'
import type {HyperoptResult} from './result.js'
import {runHyperopt} from './run-hyperopt.js'
import {studiesDir} from './study-lock.js'
import {trackHyperopt, type HyperoptTrackingOutcome} from './track-hyperopt.js'

/** `hyperopt run`'s choices, as the CLI's flags or an API body give them (folders only from config). */
export interface HyperoptOptions {
  engine: HyperoptEngineName
  strategy: string
  epochs: number
  spaces?: string[]
  loss: string
  minTrades: number
  study?: string
  objectives?: string[]
  oosTimerange?: string
  /** As typed: a number between 0 and 1. */
  oosFraction?: string | number
  topK: number
  export: boolean
  jobs: number
  seed?: number
  sampler?: string
  storage?: string
  studiesDir?: string
  outputDir?: string
}

/** The hyperopt request from resolved config and the options; `--spaces a,b` and `a b` both work. */
export function hyperoptRequest({config, sources}: ResolvedConfig, options: HyperoptOptions): HyperoptRequest {
  const fraction = options.oosFraction
  if (fraction !== undefined && !Number.isFinite(Number(fraction))) throw new UsageError(`--oos-fraction must be a number between 0 and 1, not "${fraction}".`)
  const split = (values?: string[]) => values?.flatMap((value) => value.split(/[\s,]+/)).filter(Boolean)
  return {
    engine: options.engine,
    strategy: options.strategy,
    strategiesDir: config.strategiesDir,
    ...dataSettingsFromConfig({config, sources}),
    outputDir: options.outputDir ?? config.outputDir ?? path.join(config.userDataDir, 'hyperopt_results', 'tradai'),
    epochs: options.epochs,
    spaces: split(options.spaces) ?? ['default'],
    loss: options.loss,
    jobs: options.jobs,
    seed: options.seed,
    minTrades: options.minTrades,
    study: options.study,
    storage: options.storage,
    studiesDir: options.studiesDir ?? studiesDir(config),
    sampler: options.sampler,
    objectives: split(options.objectives),
    oosTimerange: options.oosTimerange,
    oosFraction: fraction === undefined ? undefined : Number(fraction),
    topK: options.topK,
    export: options.export,
  }
}

/** A study run, then its record in MLflow: `hyperopt run`'s one core call (and the API job's). */
export async function runTrackedHyperopt(
  request: HyperoptRequest,
  engine: EnginePort,
  tracking: {settings: BacktestTracking; port: TrackingPort},
  ctx: CoreContext,
): Promise<HyperoptResult & {tracking: HyperoptTrackingOutcome}> {
  const {result, bridge} = await runHyperopt(request, engine, ctx)
  return {...result, tracking: await trackHyperopt(result, bridge, tracking.settings, tracking.port, ctx)}
}
