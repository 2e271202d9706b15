import {randomBytes} from 'node:crypto'
import {existsSync} from 'node:fs'
import {copyFile, mkdir, readdir, readFile, rename, rm, writeFile} from 'node:fs/promises'
import path from 'node:path'

import {TrackingError} from '../errors.js'
import {processAlive} from '../wait.js'
import type {TrackedRun} from './backtest-run.js'
import type {Journal} from './deliver.js'

/**
 * The outbox: one folder per run that could not be logged, holding everything MLflow needs
 * (run.json, copies of the artifacts) and a journal of what already reached the server.
 *
 *   <outbox>/<clientRunId>/run.json      the run; artifact files relative to the folder
 *   <outbox>/<clientRunId>/artifacts/... copies (the run folder may be cleaned up meanwhile)
 *   <outbox>/<clientRunId>/journal.json  progress on the server (experiment, run id, steps done)
 *
 * An entry appears atomically (written under a dot-name, then renamed), so a sync never sees
 * half of one.
 */
export interface OutboxEntry {
  id: string
  dir: string
  run: TrackedRun
  journal: Journal
}

const RUN_FILE = 'run.json'
const JOURNAL_FILE = 'journal.json'
/** Entries that cannot be read are moved here (with the reason) so they stop blocking every sync. */
export const QUARANTINE_DIR = 'quarantine'
const REASON_FILE = 'quarantine.json'

export interface QuarantinedEntry {
  id: string
  dir: string
  reason: string
  at: string | null
}

export async function queueRun(outboxDir: string, run: TrackedRun, journal: Journal): Promise<string> {
  const dir = path.join(outboxDir, safeName(run.clientRunId))
  if (existsSync(dir)) {
    // Queued before (a retried command): keep the older journal, which knows what reached the server.
    return dir
  }

  const staging = path.join(outboxDir, `.incoming-${safeName(run.clientRunId)}-${randomBytes(3).toString('hex')}`)
  await mkdir(path.join(staging, 'artifacts'), {recursive: true})
  const artifacts: TrackedRun['artifacts'] = []
  for (const artifact of run.artifacts) {
    const relative = path.join('artifacts', ...artifact.path.split('/'))
    await mkdir(path.dirname(path.join(staging, relative)), {recursive: true})
    await copyFile(artifact.file, path.join(staging, relative))
    artifacts.push({path: artifact.path, file: relative})
  }

  await writeFile(path.join(staging, RUN_FILE), `${JSON.stringify({...run, artifacts}, null, 2)}\n`)
  await writeFile(path.join(staging, JOURNAL_FILE), `${JSON.stringify(journal, null, 2)}\n`)
  await rename(staging, dir)
  return dir
}

/** Entry folders, oldest run first (run ids start with their time). */
export async function listOutbox(outboxDir: string): Promise<string[]> {
  if (!existsSync(outboxDir)) return []
  const names = await readdir(outboxDir, {withFileTypes: true})
  return names
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== QUARANTINE_DIR)
    .map((entry) => entry.name)
    .sort()
}

export async function readEntry(outboxDir: string, id: string): Promise<OutboxEntry> {
  const dir = path.join(outboxDir, id)
  try {
    const run = JSON.parse(await readFile(path.join(dir, RUN_FILE), 'utf8')) as TrackedRun
    const journal = existsSync(path.join(dir, JOURNAL_FILE)) ? (JSON.parse(await readFile(path.join(dir, JOURNAL_FILE), 'utf8')) as Journal) : {artifacts: []}
    if (run.format !== 1) throw new Error(`unknown format ${String(run.format)}`)
    return {id, dir, run, journal: {...journal, artifacts: journal.artifacts ?? []}}
  } catch (error) {
    throw new TrackingError(`Outbox entry ${dir} is unreadable: ${(error as Error).message}`, {
      code: 'TRACKING_OUTBOX_CORRUPT',
      suggestions: [`Inspect ${dir}; remove it if the run is not needed.`],
    })
  }
}

/** Moves an unreadable entry to `<outbox>/quarantine/<id>` with `quarantine.json` saying why. */
export async function quarantineEntry(outboxDir: string, id: string, reason: string, at: string): Promise<QuarantinedEntry> {
  const root = path.join(outboxDir, QUARANTINE_DIR)
  await mkdir(root, {recursive: true})
  let target = path.join(root, id)
  if (existsSync(target)) target = `${target}-${randomBytes(3).toString('hex')}`
  await rename(path.join(outboxDir, id), target)
  await writeFile(path.join(target, REASON_FILE), `${JSON.stringify({id, reason, at}, null, 2)}\n`)
  return {id, dir: target, reason, at}
}

/** The quarantined entries, oldest first (tracking status lists them). */
export async function listQuarantine(outboxDir: string): Promise<QuarantinedEntry[]> {
  const root = path.join(outboxDir, QUARANTINE_DIR)
  if (!existsSync(root)) return []
  const names = (await readdir(root, {withFileTypes: true}))
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
  return Promise.all(
    names.map(async (name) => {
      const dir = path.join(root, name)
      try {
        const info = JSON.parse(await readFile(path.join(dir, REASON_FILE), 'utf8')) as {reason?: string; at?: string}
        return {id: name, dir, reason: info.reason ?? 'unknown', at: info.at ?? null}
      } catch {
        return {id: name, dir, reason: 'unknown (no quarantine.json)', at: null}
      }
    }),
  )
}

/** Journal writes replace the file atomically: a kill mid-write leaves the previous journal. */
export async function saveJournal(dir: string, journal: Journal): Promise<void> {
  const temporary = path.join(dir, `.${JOURNAL_FILE}.${process.pid}`)
  await writeFile(temporary, `${JSON.stringify(journal, null, 2)}\n`)
  await rename(temporary, path.join(dir, JOURNAL_FILE))
}

export async function removeEntry(dir: string): Promise<void> {
  // Renamed away first so a half-deleted folder is never mistaken for an entry.
  const trash = path.join(path.dirname(dir), `.done-${path.basename(dir)}-${randomBytes(3).toString('hex')}`)
  await rename(dir, trash)
  await rm(trash, {recursive: true, force: true})
}

/**
 * One sync at a time per outbox: a lock file with the owner's pid. A lock whose owner died
 * (a killed sync) is taken over.
 */
export async function lockOutbox(outboxDir: string): Promise<() => Promise<void>> {
  await mkdir(outboxDir, {recursive: true})
  const lock = path.join(outboxDir, '.sync.lock')
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(lock, String(process.pid), {flag: 'wx'})
      return async () => rm(lock, {force: true})
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const owner = Number((await readFile(lock, 'utf8').catch(() => '')).trim())
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && processAlive(owner)) {
        throw new TrackingError(`Another \`tradai tracking sync\` (pid ${owner}) is replaying ${outboxDir}.`, {
          code: 'TRACKING_SYNC_BUSY',
          suggestions: ['Wait for it to finish, or stop it and run the sync again.'],
        })
      }

      await rm(lock, {force: true})
    }
  }

  throw new TrackingError(`Cannot lock the outbox ${outboxDir}.`, {code: 'TRACKING_SYNC_BUSY'})
}

function safeName(id: string): string {
  return id.replace(/[^\w.-]/g, '_')
}
