import {writeFile} from 'node:fs/promises'
import path from 'node:path'

import {InterruptedError, TradaiError} from '../errors.js'

export const STATUS_FILE = 'tradai-status.json'
export type RunKind = 'backtest' | 'sweep' | 'walk-forward' | 'shadow'

export interface RunStatusRecord {
  runId: string
  kind: RunKind
  strategy: string
  status: 'failed' | 'interrupted'
  startedAt: string
  endedAt: string
  error: {code: string; message: string; exitCode: number}
}

/**
 * Runs `work` for a run folder; when it fails or is interrupted the folder keeps a status file
 * saying so (with the error), so `tradai runs list` shows the run as failed, never as an empty folder.
 */
export async function keepRunStatus<T>(meta: {runId: string; runDir: string; kind: RunKind; strategy: string}, work: () => Promise<T>): Promise<T> {
  const startedAt = new Date().toISOString()
  try {
    return await work()
  } catch (error) {
    const interrupted = error instanceof InterruptedError
    const record: RunStatusRecord = {
      runId: meta.runId,
      kind: meta.kind,
      strategy: meta.strategy,
      status: interrupted ? 'interrupted' : 'failed',
      startedAt,
      endedAt: new Date().toISOString(),
      error:
        error instanceof TradaiError
          ? {code: error.code, message: error.message, exitCode: error.exitCode}
          : {code: 'INTERNAL', message: error instanceof Error ? error.message : String(error), exitCode: 70},
    }
    await writeFile(path.join(meta.runDir, STATUS_FILE), `${JSON.stringify(record, null, 2)}\n`).catch(() => {})
    throw error
  }
}
