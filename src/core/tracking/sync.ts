import path from 'node:path'

import {TradaiError, TrackingError} from '../errors.js'
import type {CoreContext} from '../events.js'
import {deliverRun} from './deliver.js'
import {listOutbox, lockOutbox, quarantineEntry, readEntry, removeEntry, saveJournal, type QuarantinedEntry} from './outbox.js'
import type {TrackingPort} from './port.js'

export const SYNC_STAGES = [{id: 'sync', title: 'Replay the outbox'}]

export interface SyncResult {
  uri: string
  outboxDir: string
  synced: Array<{clientRunId: string; runId: string; experimentId: string; url: string}>
  failed: Array<{clientRunId: string; message: string}>
  /** Entries found corrupt by this sync, moved to <outbox>/quarantine/ (reported once: later syncs skip them). */
  quarantined: QuarantinedEntry[]
  remaining: number
}

/**
 * Replays the outbox oldest first. Each entry resumes from its journal and is removed only
 * once its run is FINISHED on the server; an interrupted sync leaves the entry and its
 * journal, and the next sync finds the run by its client run id instead of creating another.
 */
export async function syncOutbox(outboxDir: string, port: TrackingPort, ctx: CoreContext): Promise<SyncResult> {
  ctx.onEvent({type: 'stage', stage: 'sync', status: 'start', message: `${outboxDir} → ${port.uri}`})
  const unlock = await lockOutbox(outboxDir)
  const result: SyncResult = {uri: port.uri, outboxDir, synced: [], failed: [], quarantined: [], remaining: 0}
  try {
    const ids = await listOutbox(outboxDir)
    for (const [index, id] of ids.entries()) {
      ctx.onEvent({type: 'progress', stage: 'sync', current: index, total: ids.length, message: id})
      let entry
      try {
        entry = await readEntry(outboxDir, id)
      } catch (error) {
        if (!(error instanceof TradaiError) || error.code !== 'TRACKING_OUTBOX_CORRUPT') throw error
        const moved = await quarantineEntry(outboxDir, id, error.message, new Date().toISOString())
        result.quarantined.push(moved)
        ctx.onEvent({type: 'log', level: 'warning', message: `${error.message}; moved to ${moved.dir} (it no longer blocks the sync; inspect or delete it).`})
        continue
      }

      try {
        const {experimentId, runId} = await deliverRun(
          port,
          entry.run,
          entry.journal,
          {save: (journal) => saveJournal(entry.dir, journal), resolveFile: (file) => path.join(entry.dir, file), stage: 'sync'},
          ctx,
        )
        await removeEntry(entry.dir)
        result.synced.push({clientRunId: entry.run.clientRunId, runId, experimentId, url: port.runUrl(experimentId, runId)})
      } catch (error) {
        if (!(error instanceof TradaiError) || ctx.signal.aborted) throw error
        result.failed.push({clientRunId: id, message: error.message})
        // The server is gone: the rest would fail the same way.
        if (error.code === 'TRACKING_UNREACHABLE') break
      }
    }

    result.remaining = (await listOutbox(outboxDir)).length
  } finally {
    await unlock()
  }

  if (result.failed.length > 0) {
    ctx.onEvent({type: 'stage', stage: 'sync', status: 'fail'})
    throw new TrackingError(`Synced ${result.synced.length} run(s); ${result.failed.length} failed, ${result.remaining} still queued: ${result.failed[0]!.message}`, {
      code: 'TRACKING_SYNC_FAILED',
      details: {...result},
      suggestions: ['Fix the cause and run `tradai tracking sync` again: it resumes where it stopped, without duplicating runs.'],
    })
  }

  ctx.onEvent({type: 'stage', stage: 'sync', status: 'done', message: `${result.synced.length} run(s)`})
  return result
}
