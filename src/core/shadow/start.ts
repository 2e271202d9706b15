import {randomBytes} from 'node:crypto'
import {readFile} from 'node:fs/promises'

import {checkRegisteredCode} from '../attestation/evidence.js'
import type {GateKey} from '../attestation/key.js'
import type {EnginePort} from '../ports/engine.js'
import {bridgeDataFields, type BacktestDataSettings} from '../backtest/request.js'
import {CANDLE_SOURCE_STAGES, candlesForRun} from '../data/arctic-cache.js'
import {CheckFailedError, EngineError, ExitCode, TradaiError, UsageError} from '../errors.js'
import {inStage, type CoreContext} from '../events.js'
import type {RegistryPort} from '../registry/port.js'
import {pickVersion, readRegistryState} from '../registry/state.js'
import {downloadVersionCode} from '../registry/version-code.js'
import {sleep} from '../wait.js'
import {demoKeys, shadowBotEnv, type ShadowAccount} from './bot-env.js'
import {
  createSessionDir,
  listSessions,
  newSessionId,
  readSession,
  sessionFiles,
  sessionSummary,
  writeJson,
  type ShadowMode,
  type ShadowSessionRecord,
  type ShadowSessionSummary,
} from './session.js'

export const SHADOW_START_STAGES = [
  {id: 'engine', title: 'Python engine'},
  {id: 'registry', title: "Download the version's code from the registry"},
  ...CANDLE_SOURCE_STAGES,
  {id: 'strategy', title: 'Load the strategy'},
  {id: 'data', title: 'Load candles'},
  {id: 'bot', title: "Start Freqtrade's dry-run bot"},
  {id: 'running', title: 'Shadow trading'},
]

/** The engine as shadow trading needs it: one operation in the foreground, or one that outlives tradai. */
export interface ShadowEnginePort extends EnginePort {
  spawnDetached(operation: string, files: {request: string; stdout: string; stderr: string}, extraEnv?: NodeJS.ProcessEnv): Promise<number>
  /** The error a detached operation reported in its events file (mapped like a bridge error), if any. */
  detachedFailure(eventsFile: string, logFile: string): Promise<Error | undefined>
}

export interface ShadowStartRequest {
  model: string
  version?: number
  alias?: 'staging'
  mode: ShadowMode
  /** Live only: the exchange's demo account (Freqtrade exchange.demo_trading). */
  demo?: boolean
  /** With `demo`: the stored account whose keys the bot gets (as its environment only). */
  account?: ShadowAccount
  foreground: boolean
  data: BacktestDataSettings
  /** Where sessions live (.tradai/shadow). */
  root: string
  apiPort: number
  /** null: as fast as possible; else virtual seconds per wall second. */
  speed: number | null
  spreadBps?: number
  throttleSecs?: number
  /** How long a detached start waits for the bot to come up. */
  startTimeoutMs?: number
  /** Verifies the registration attestation: without the key no registration verifies, so nothing runs. */
  gateKey: GateKey | null
}

export interface ShadowStartResult {
  session: ShadowSessionSummary
  window: {start: string | null; end: string | null} | null
  api: {url: string}
}

const POLL_MS = 250

/**
 * Starts Freqtrade's dry-run bot on the REGISTRY's copy of a version's code (like a challenge):
 * one session per strategy version at a time. Foreground: returns when the window is done (or
 * the signal stops it: the bot stops gracefully, trades kept). Detached: returns once the bot
 * is up; the bot runs on in its own process group.
 */
export async function startShadow(request: ShadowStartRequest, engine: ShadowEnginePort, port: RegistryPort, ctx: CoreContext): Promise<ShadowStartResult> {
  const {version, state} = await inStage(ctx, 'registry', async () => {
    const state = await readRegistryState(port, request.model, ctx.signal)
    let number = request.version
    if (request.alias === 'staging') {
      if (state.aliases.staging === null) {
        throw new CheckFailedError(`${request.model} has no staged version (alias staging is unset): shadow trading --alias staging needs one.`, {
          suggestions: [`Stage a challenged version first: \`tradai promote ${request.model} --to staged --version N\`.`],
        })
      }

      number = state.aliases.staging
    }

    const version = pickVersion(state, number)
    // Shadow-trade only what was registered and is still in the registry byte for byte (like a challenge).
    const {registration, code} = await checkRegisteredCode(port, request.gateKey, request.model, version, ctx.signal)
    const problem = registration.verified ? code.reason : `${request.model} v${version.version} has no verified registration: ${registration.reason}`
    if (problem) throw refusal(request.model, version.version, registration.verified ? 'CODE_CHANGED' : 'EVIDENCE_INVALID', problem)
    return {state, version}
  })

  const running = (await listSessions(request.root)).find(
    (view) => view.record.strategy === request.model && view.record.version === version.version && (view.status === 'running' || view.status === 'starting'),
  )
  if (running) {
    throw new TradaiError(
      'SHADOW_ALREADY_RUNNING',
      ExitCode.checkFailed,
      `${request.model} v${version.version} is already shadow trading in session ${running.record.id} (${running.status}).`,
      {
        suggestions: [`Stop it first: \`tradai shadow stop ${running.record.id}\`, or watch it: \`tradai shadow status ${running.record.id}\`.`],
      },
    )
  }

  // A demo account's keys are found before anything is written or started (exit 5 says how to store them).
  const exchange = request.demo ? (request.data.exchange ?? request.account?.sources.defaultExchange) : undefined
  if (request.demo && (!exchange || !request.account)) throw new UsageError('--exchange-demo needs an exchange and an account: pass --exchange NAME.')
  const exchangeKeys = request.demo && exchange && request.account ? await demoKeys(exchange, request.account) : undefined
  const settings: BacktestDataSettings = exchange ? {...request.data, exchange} : request.data

  const id = newSessionId()
  const dir = await createSessionDir(request.root, id)
  const files = sessionFiles(dir)
  const code = await inStage(ctx, 'registry', async () => downloadVersionCode(port, state.model, version, files.strategy, ctx.signal))
  // downloadVersionCode hashes the bytes the bot will run again (REGISTRY_CODE_MISMATCH, exit 4, for an overwrite since the check).
  // A replay from ArcticDB reads its window (with startup candles) into the session folder; the
  // report's backtest reads the same files. Live trading takes its candles from the exchange.
  const {candleStore, ...data} = settings
  const candles = await candlesForRun(
    {...data, candleStore: request.mode === 'replay' ? candleStore : undefined, strategy: code.strategyClass, strategiesDir: code.dir},
    dir,
    engine,
    ctx,
  )
  const credentials = {url: `http://127.0.0.1:${request.apiPort}`, username: `tradai-${randomBytes(4).toString('hex')}`, password: randomBytes(24).toString('base64url')}
  await writeJson(files.api, credentials, 0o600)
  const record: ShadowSessionRecord = {
    id,
    strategy: state.model,
    version: version.version,
    codeHash: code.codeHash,
    strategyClass: code.strategyClass,
    mode: request.mode,
    timerange: data.timerange ?? null,
    sessionDir: dir,
    createdAt: new Date().toISOString(),
    pid: null,
    apiPort: request.apiPort,
    data: {...data, userDataDir: candles.userDataDir},
    ...(candles.candleSource ? {candleSource: candles.candleSource} : {}),
    window: null,
  }
  await writeJson(files.session, record)

  const bridgeRequest = {
    sessionDir: dir,
    strategy: code.strategyClass,
    strategyPath: code.dir,
    userDataDir: candles.userDataDir,
    ...bridgeDataFields(settings),
    mode: request.mode,
    demo: request.demo ?? false,
    apiPort: request.apiPort,
    speed: request.speed,
    spreadBps: request.spreadBps ?? null,
    throttleSecs: request.throttleSecs ?? null,
  }
  // The API's secrets (and a demo account's keys) reach Freqtrade as FREQTRADE__* variables, never in a file.
  const env = shadowBotEnv(credentials, exchangeKeys)
  const result = (window: ShadowStartResult['window'], view: Awaited<ReturnType<typeof readSession>>): ShadowStartResult => ({
    session: sessionSummary(view),
    window,
    api: {url: credentials.url},
  })

  if (request.foreground) {
    record.pid = process.pid
    await writeJson(files.session, record)
    const outcome = await engine.run('shadow', bridgeRequest, ctx, {env})
    record.window = outcome.window
    await writeJson(files.session, record)
    return result(outcome.window, await readSession(request.root, id))
  }

  await writeJson(files.request, bridgeRequest)
  record.pid = await engine.spawnDetached('shadow', {request: files.request, stdout: files.events, stderr: files.log}, env)
  await writeJson(files.session, record)
  const deadline = Date.now() + (request.startTimeoutMs ?? 600_000)
  ctx.onEvent({type: 'stage', stage: 'running', status: 'start', message: `session ${id}, pid ${record.pid}`})
  for (;;) {
    await sleep(POLL_MS, ctx.signal)
    const view = await readSession(request.root, id)
    if (view.status === 'running' || view.status === 'completed' || view.status === 'stopped') {
      ctx.onEvent({type: 'stage', stage: 'running', status: 'done', message: `detached (pid ${record.pid})`})
      return result(null, view)
    }

    if (view.status === 'failed' || view.status === 'dead') {
      ctx.onEvent({type: 'stage', stage: 'running', status: 'fail'})
      throw (
        (await engine.detachedFailure(files.events, files.log)) ??
        new EngineError(
          `The shadow bot of session ${id} ${view.status === 'dead' ? 'exited' : 'failed'} while starting: ${view.state?.error ?? 'see the log'}.\n${await logTail(files.log)}`,
          {
            suggestions: [`Read ${files.log}.`],
          },
        )
      )
    }

    if (Date.now() > deadline) {
      throw new EngineError(
        `The shadow bot of session ${id} did not come up in ${Math.round((request.startTimeoutMs ?? 600_000) / 1000)} s; it keeps starting in the background.`,
        {
          suggestions: [`Watch it with \`tradai shadow status ${id}\`, stop it with \`tradai shadow stop ${id}\`.`],
        },
      )
    }
  }
}

function refusal(model: string, version: number, code: 'CODE_CHANGED' | 'EVIDENCE_INVALID', problem: string): TradaiError {
  return new TradaiError(code, ExitCode.checkFailed, `Refused to shadow-trade ${model} v${version}: ${problem}.`, {
    suggestions: [`Register the strategy again (\`tradai strategy register ${model}\`), challenge and stage the new version.`],
  })
}

async function logTail(file: string, lines = 15): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '')
  return text.trimEnd().split('\n').slice(-lines).join('\n')
}
