import type {EnginePort} from '../ports/engine.js'
import type {BacktestRequest} from '../backtest/request.js'
import {runBacktest, type BacktestResult} from '../backtest/run-backtest.js'
import type {TradaiConfig} from '../config/schema.js'
import {InterruptedError, TradaiError} from '../errors.js'
import type {CoreContext} from '../events.js'
import {buildBacktestRun} from './backtest-run.js'
import {deliverRun, type Journal} from './deliver.js'
import {queueRun} from './outbox.js'
import {experimentName, trackingDirs} from './paths.js'
import type {TrackingOutcome, TrackingPort} from './port.js'
import {runContext, type RunContext} from './run-context.js'
import {knownSecrets} from './secrets.js'

export interface BacktestTracking {
  enabled: boolean
  /** `tracking.experimentName` template and prefix. */
  experiment: Pick<TradaiConfig['tracking'], 'experimentName' | 'experimentPrefix'>
  outboxDir: string
  context: RunContext
  secrets: string[]
}

/** What a tracked backtest needs, from config and an environment (passed in, never read here). */
export function backtestTracking(config: TradaiConfig, env: Record<string, string | undefined>, tradaiVersion: string, track: boolean): BacktestTracking {
  return {
    enabled: track && config.tracking.enabled,
    experiment: config.tracking,
    outboxDir: trackingDirs(config).outboxDir,
    context: runContext(env, tradaiVersion),
    secrets: knownSecrets(config, env),
  }
}

/** A backtest, then its record in MLflow: the backtest command's one core call. */
export async function runTrackedBacktest(
  request: BacktestRequest,
  engine: EnginePort,
  tracking: {settings: BacktestTracking; port: TrackingPort},
  ctx: CoreContext,
): Promise<BacktestResult> {
  const startTime = Date.now()
  const result = await runBacktest(request, engine, ctx)
  return {...result, tracking: await trackBacktest(result, tracking.settings, tracking.port, {startTime, endTime: Date.now()}, ctx)}
}

/**
 * Records a finished backtest. The backtest already succeeded, so tracking never fails it:
 * when MLflow cannot take the run (down, failing after retries, refusing), the whole run goes
 * to the outbox with what already reached the server, and `tradai tracking sync` finishes it.
 */
export async function trackBacktest(
  result: BacktestResult,
  settings: BacktestTracking,
  port: TrackingPort,
  times: {startTime: number; endTime: number},
  ctx: CoreContext,
): Promise<TrackingOutcome> {
  if (!settings.enabled) {
    ctx.onEvent({type: 'stage', stage: 'tracking', status: 'skip'})
    return {status: 'disabled', runId: null, experimentId: null, url: null}
  }

  ctx.onEvent({type: 'stage', stage: 'tracking', status: 'start', message: port.uri})
  const {run, warnings} = await buildBacktestRun(result, {
    experimentName: experimentName(settings.experiment, result.strategy),
    context: settings.context,
    secrets: settings.secrets,
    ...times,
  })
  for (const message of warnings) ctx.onEvent({type: 'log', level: 'warning', message})

  const journal: Journal = {artifacts: []}
  try {
    const {experimentId, runId} = await deliverRun(port, run, journal, {save: async () => {}, fresh: true}, ctx)
    ctx.onEvent({type: 'stage', stage: 'tracking', status: 'done'})
    return {status: 'logged', runId, experimentId, url: port.runUrl(experimentId, runId)}
  } catch (error) {
    if (!(error instanceof TradaiError)) throw error
    // Interrupted mid-log: keep the run (and what got through) before leaving.
    const entry = await queueRun(settings.outboxDir, run, journal)
    if (error instanceof InterruptedError || ctx.signal.aborted) throw error
    ctx.onEvent({
      type: 'log',
      level: 'warning',
      message: `Not recorded in MLflow: ${error.message} The run is queued in ${entry}; \`tradai tracking sync\` logs it once the server is back.`,
    })
    ctx.onEvent({type: 'stage', stage: 'tracking', status: 'done', message: 'queued'})
    return {status: 'queued', runId: journal.runId ?? null, experimentId: journal.experimentId ?? null, url: null, reason: error.message, outboxEntry: entry}
  }
}
