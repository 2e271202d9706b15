import {randomBytes} from 'node:crypto'
import {existsSync} from 'node:fs'
import {chmod, mkdir, readdir, readFile, rename, writeFile} from 'node:fs/promises'
import path from 'node:path'

import {NotFoundError} from '../errors.js'
import {processAlive} from '../wait.js'
import type {CandleSourceRecord} from '../data/arctic-store.js'

/**
 * A shadow session's folder, `.tradai/shadow/<id>/`: session.json (what was started, written
 * here), state.json (what only the running bot knows, written by the engine), api.json (the
 * REST API's random credentials, mode 0600), request.json, config.json (no secrets), the
 * strategy copy, trades.sqlite (Freqtrade's own trade database), bot.log and events.ndjson.
 */
export function sessionFiles(dir: string) {
  return {
    session: path.join(dir, 'session.json'),
    state: path.join(dir, 'state.json'),
    api: path.join(dir, 'api.json'),
    request: path.join(dir, 'request.json'),
    events: path.join(dir, 'events.ndjson'),
    log: path.join(dir, 'bot.log'),
    db: path.join(dir, 'trades.sqlite'),
    strategy: path.join(dir, 'strategy'),
    trades: path.join(dir, 'shadow-trades.json'),
    report: path.join(dir, 'shadow-report.json'),
  }
}

export type ShadowStatus = 'starting' | 'running' | 'completed' | 'stopped' | 'failed' | 'dead'
export type ShadowMode = 'replay' | 'live'

/** session.json: what was started, and with what. */
export interface ShadowSessionRecord {
  id: string
  strategy: string
  version: number
  codeHash: string
  strategyClass: string
  mode: ShadowMode
  timerange: string | null
  sessionDir: string
  createdAt: string
  pid: number | null
  apiPort: number
  /** The data and wallet settings (the backtest's), so the report's backtest uses the same. */
  data: Record<string, unknown> & {userDataDir: string; outputDir: string}
  /** A replay from ArcticDB: the store, library and symbol versions the session read (into its own candles/ folder). */
  candleSource?: CandleSourceRecord
  /** Set when the engine returns (foreground) or by status/report from state.json. */
  window: {start: string | null; end: string | null} | null
}

/** state.json, written by the engine (python/tradai_engine/shadow/session.py). */
export interface ShadowEngineState {
  status: Exclude<ShadowStatus, 'dead'>
  pid: number
  mode?: ShadowMode
  virtualTime?: string
  virtualEnd?: string
  candlesDone?: number | null
  candlesTotal?: number | null
  openTrades?: number
  closedTrades?: number
  wallSeconds?: number
  steps?: number | null
  error?: string
  stoppedBy?: string | null
  windowStart?: string
  windowEnd?: string
}

export interface ApiCredentials {
  url: string
  username: string
  password: string
}

export function newSessionId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)
  return `sh-${stamp}-${randomBytes(3).toString('hex')}`
}

export async function writeJson(file: string, value: unknown, mode?: number): Promise<void> {
  const temporary = `${file}.tmp`
  await writeFile(temporary, `${JSON.stringify(value, null, 2)}\n`, mode === undefined ? undefined : {mode})
  if (mode !== undefined) await chmod(temporary, mode)
  await rename(temporary, file)
}

async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T
  } catch {
    return undefined
  }
}

export async function createSessionDir(root: string, id: string): Promise<string> {
  const dir = path.join(root, id)
  await mkdir(sessionFiles(dir).strategy, {recursive: true, mode: 0o700})
  return dir
}

export interface ShadowSessionView {
  record: ShadowSessionRecord
  state: ShadowEngineState | undefined
  status: ShadowStatus
}

/** A session as it is now: a running status whose process vanished is `dead`. */
export async function readSession(root: string, id: string): Promise<ShadowSessionView> {
  const dir = path.join(root, id)
  const record = /^[\w.-]+$/.test(id) ? await readJson<ShadowSessionRecord>(sessionFiles(dir).session) : undefined
  if (!record) {
    const known = (await listSessionIds(root)).slice(-5)
    throw new NotFoundError(`No shadow session "${id}" in ${root}.`, {
      code: 'SHADOW_SESSION_NOT_FOUND',
      suggestions: [known.length > 0 ? `Known sessions: ${known.join(', ')} (\`tradai shadow list\`).` : 'Start one with `tradai shadow start NAME --replay`.'],
    })
  }

  const state = await readJson<ShadowEngineState>(sessionFiles(dir).state)
  // A detached session learns its window from the engine (state.json), a foreground one from the result.
  if (!record.window && state?.windowStart) record.window = {start: state.windowStart, end: state.windowEnd ?? null}
  return {record, state, status: effectiveStatus(record, state)}
}

export function effectiveStatus(record: ShadowSessionRecord, state: ShadowEngineState | undefined): ShadowStatus {
  const pid = state?.pid ?? record.pid
  if (!state) return pid !== null && processAlive(pid) ? 'starting' : 'dead'
  if ((state.status === 'running' || state.status === 'starting') && !processAlive(state.pid)) return 'dead'
  return state.status
}

export async function listSessionIds(root: string): Promise<string[]> {
  if (!existsSync(root)) return []
  const entries = await readdir(root, {withFileTypes: true})
  return entries
    .filter((entry) => entry.isDirectory() && existsSync(sessionFiles(path.join(root, entry.name)).session))
    .map((entry) => entry.name)
    .sort()
}

export async function listSessions(root: string): Promise<ShadowSessionView[]> {
  const views: ShadowSessionView[] = []
  for (const id of await listSessionIds(root)) views.push(await readSession(root, id))
  return views
}

export async function readApiCredentials(dir: string): Promise<ApiCredentials | undefined> {
  return readJson<ApiCredentials>(sessionFiles(dir).api)
}

/** The `session` object every shadow command's --json prints. */
export function sessionSummary(view: ShadowSessionView) {
  const {record} = view
  return {
    id: record.id,
    strategy: record.strategy,
    version: record.version,
    codeHash: record.codeHash,
    mode: record.mode,
    status: view.status,
    timerange: record.timerange,
    sessionDir: record.sessionDir,
    createdAt: record.createdAt,
    pid: view.state?.pid ?? record.pid,
  }
}

export type ShadowSessionSummary = ReturnType<typeof sessionSummary>

/** Where sessions live: config shadowDir, else beside the engine (.tradai/shadow). */
export function shadowRoot(config: {shadowDir?: string; engine: {dir: string}}): string {
  return config.shadowDir ?? path.join(path.dirname(config.engine.dir), 'shadow')
}
