import {existsSync} from 'node:fs'
import path from 'node:path'

import {MlflowClient} from './client.js'
import {mlflowHealth} from './health.js'
import {clearServerState, logTail, portInUse, readServerState, serverFiles, spawnServer, stopProcessGroup, type ServerState} from './local-server.js'
import {abortError, EngineError, TrackingError} from '../../core/errors.js'
import {processAlive, sleep} from '../../core/wait.js'
import type {CoreContext} from '../../core/events.js'
import {listOutbox, listQuarantine, type QuarantinedEntry} from '../../core/tracking/outbox.js'
import {redactUrl} from '../../core/redact.js'

export const SERVER_START_STAGES = [
  {id: 'engine', title: 'Python engine'},
  {id: 'server', title: 'Start the MLflow server'},
  {id: 'health', title: 'Wait for /health'},
]
export const SERVER_STOP_STAGES = [{id: 'stop', title: 'Stop the MLflow server'}]
export const SERVER_STATUS_STAGES = [{id: 'status', title: 'Ask the MLflow server'}]

export interface StartServerRequest {
  /** The engine's virtual environment (its bin/mlflow serves). */
  engineDir: string
  serverDir: string
  host: string
  port: number
  workers: number
  /** Give up waiting for /health after this long (MLflow takes 10-60 s on a busy machine). */
  timeoutMs: number
  env: NodeJS.ProcessEnv
}

export interface ServerInfo {
  url: string
  pid: number
  startedAt: string
  /** false when start found the server already running (start is idempotent). */
  started: boolean
  version: string | null
  store: string
  artifacts: string
  log: string
}

const HEALTH_POLL_MS = 300

/** Starts the local MLflow server, or finds it already running; waits until /health answers. */
export async function startTrackingServer(request: StartServerRequest, ctx: CoreContext): Promise<ServerInfo> {
  const files = serverFiles(request.serverDir)
  const info = (state: ServerState, started: boolean, version: string | null): ServerInfo => ({
    url: state.url,
    pid: state.pid,
    startedAt: state.startedAt,
    started,
    version,
    store: `sqlite:///${files.db}`,
    artifacts: files.artifacts,
    log: files.log,
  })

  const running = await readServerState(request.serverDir)
  if (running && processAlive(running.pid)) {
    ctx.onEvent({type: 'stage', stage: 'server', status: 'skip'})
    if (running.port !== request.port) {
      ctx.onEvent({type: 'log', level: 'warning', message: `The server already runs on port ${running.port}; \`tradai tracking stop\` first to move it to ${request.port}.`})
    }

    ctx.onEvent({type: 'stage', stage: 'health', status: 'start'})
    await waitForHealth(running, request, ctx)
    ctx.onEvent({type: 'stage', stage: 'health', status: 'done'})
    return info(running, false, await serverVersion(running.url, ctx.signal))
  }

  if (running) await clearServerState(request.serverDir) // its process died: a stale pid file

  ctx.onEvent({type: 'stage', stage: 'server', status: 'start', message: `${request.host}:${request.port}`})
  const mlflow = path.join(request.engineDir, 'bin', 'mlflow')
  if (!existsSync(mlflow)) {
    ctx.onEvent({type: 'stage', stage: 'server', status: 'fail'})
    throw new EngineError(`MLflow is not installed in the engine at ${request.engineDir} (no ${mlflow}).`, {
      suggestions: ['Run `tradai engine setup` (it installs Freqtrade, Optuna and MLflow).'],
    })
  }

  if (await portInUse(request.host, request.port)) {
    ctx.onEvent({type: 'stage', stage: 'server', status: 'fail'})
    throw new TrackingError(`Port ${request.port} on ${request.host} is already in use by another program.`, {
      code: 'TRACKING_PORT_IN_USE',
      suggestions: [`Choose another port (\`tradai tracking start --port ${request.port + 1}\`) and point tracking.uri at it.`],
    })
  }

  const state = await spawnServer({mlflow, dir: request.serverDir, host: request.host, port: request.port, workers: request.workers, env: request.env})
  ctx.onEvent({type: 'stage', stage: 'server', status: 'done', message: `pid ${state.pid}`})

  ctx.onEvent({type: 'stage', stage: 'health', status: 'start', message: state.url})
  try {
    await waitForHealth(state, request, ctx)
  } catch (error) {
    ctx.onEvent({type: 'stage', stage: 'health', status: 'fail'})
    // Never leave a half-started server behind.
    await stopProcessGroup(state.pid, 3000)
    await clearServerState(request.serverDir)
    throw error
  }

  ctx.onEvent({type: 'stage', stage: 'health', status: 'done'})
  return info(state, true, await serverVersion(state.url, ctx.signal))
}

async function waitForHealth(state: ServerState, request: StartServerRequest, ctx: CoreContext): Promise<void> {
  const started = Date.now()
  for (;;) {
    if (ctx.signal.aborted) throw abortError(ctx.signal)
    const health = await mlflowHealth(state.url, ctx.signal)
    if (health.reachable) return
    if (!processAlive(state.pid)) {
      throw new TrackingError(`The MLflow server exited before it answered /health.\n${await logTail(request.serverDir)}`, {
        code: 'TRACKING_SERVER_START',
        suggestions: [`See ${serverFiles(request.serverDir).log}.`],
      })
    }

    const elapsed = Date.now() - started
    if (elapsed > request.timeoutMs) {
      throw new TrackingError(`The MLflow server did not answer /health within ${Math.round(request.timeoutMs / 1000)} s.\n${await logTail(request.serverDir)}`, {
        code: 'TRACKING_SERVER_START',
        suggestions: [`See ${serverFiles(request.serverDir).log}; a busy machine may need --timeout.`],
      })
    }

    ctx.onEvent({type: 'progress', stage: 'health', current: Math.round(elapsed / 1000), message: `s waiting for ${state.url}/health`})
    await sleep(HEALTH_POLL_MS)
  }
}

async function serverVersion(url: string, signal: AbortSignal): Promise<string | null> {
  try {
    return await new MlflowClient({uri: url, retries: 1, timeoutMs: 5000}).version(signal)
  } catch {
    return null
  }
}

export interface StopServerResult {
  stopped: boolean
  pid: number | null
  url: string | null
}

/** Stops the local server and everything it started; stopping a stopped server is fine. */
export async function stopTrackingServer(serverDir: string, ctx: CoreContext): Promise<StopServerResult> {
  const state = await readServerState(serverDir)
  if (!state || !processAlive(state.pid)) {
    await clearServerState(serverDir)
    ctx.onEvent({type: 'stage', stage: 'stop', status: 'skip'})
    return {stopped: false, pid: null, url: null}
  }

  ctx.onEvent({type: 'stage', stage: 'stop', status: 'start', message: `pid ${state.pid}`})
  await stopProcessGroup(state.pid)
  await clearServerState(serverDir)
  ctx.onEvent({type: 'stage', stage: 'stop', status: 'done'})
  return {stopped: true, pid: state.pid, url: state.url}
}

export interface TrackingStatus {
  /** The server status describes: the local one when tradai runs it, else tracking.uri. */
  url: string
  trackingUri: string
  reachable: boolean
  detail: string
  version: string | null
  local: {running: boolean; pid: number | null; startedAt: string | null; uptimeSeconds: number | null; log: string | null}
  outbox: {dir: string; count: number; quarantined: QuarantinedEntry[]}
}

export async function trackingStatus(request: {serverDir: string; trackingUri: string; outboxDir: string}, ctx: CoreContext): Promise<TrackingStatus> {
  ctx.onEvent({type: 'stage', stage: 'status', status: 'start'})
  const state = await readServerState(request.serverDir)
  const running = Boolean(state && processAlive(state.pid))
  const url = running ? state!.url : new URL(request.trackingUri).origin + new URL(request.trackingUri).pathname.replace(/\/$/, '')
  const health = await mlflowHealth(url, ctx.signal)
  const version = health.reachable ? await serverVersion(url, ctx.signal) : null
  const count = (await listOutbox(request.outboxDir)).length
  ctx.onEvent({type: 'stage', stage: 'status', status: 'done'})
  return {
    url,
    trackingUri: redactUrl(request.trackingUri),
    reachable: health.reachable,
    detail: health.detail,
    version,
    local: {
      running,
      pid: running ? state!.pid : null,
      startedAt: running ? state!.startedAt : null,
      uptimeSeconds: running ? Math.round((Date.now() - Date.parse(state!.startedAt)) / 1000) : null,
      log: running ? serverFiles(request.serverDir).log : null,
    },
    outbox: {dir: request.outboxDir, count, quarantined: await listQuarantine(request.outboxDir)},
  }
}
