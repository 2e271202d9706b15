import {mkdir, writeFile} from 'node:fs/promises'
import path from 'node:path'

import {ConfigError, InterruptedError, TradaiError} from '../errors.js'

/** Every run folder (backtest, sweep, walk-forward) says how its run is going or ended. */
export const STATUS_FILE = 'run-status.json'
export type RunKind = 'backtest' | 'sweep' | 'walk-forward' | 'shadow'

export interface RunStatusRecord {
  runId: string
  kind: RunKind
  strategy: string
  status: 'running' | 'finished' | 'failed' | 'interrupted'
  startedAt: string
  endedAt: string | null
  /** The error a failed or interrupted run stopped with. */
  error: {code: string; message: string; exitCode: number} | null
}

/** The run folder, or exit 2 naming the output folder that cannot hold it (read-only, a file, ...). */
export async function createRunFolder(runDir: string, outputDir: string): Promise<void> {
  try {
    await mkdir(runDir, {recursive: true})
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error'
    const why = code === 'EACCES' || code === 'EPERM' || code === 'EROFS' ? 'is not writable' : code === 'ENOTDIR' || code === 'EEXIST' ? 'is not a folder' : 'cannot be created'
    throw new ConfigError(`The output folder ${outputDir} ${why} (${code}): the run folder ${runDir} cannot be created.`, {
      code: 'OUTPUT_DIR',
      details: {outputDir, runDir, errno: code},
      suggestions: ["Choose a writable folder with --output-dir (config outputDir, TRADAI_OUTPUT_DIR), or fix the folder's permissions."],
    })
  }
}

/**
 * Runs `work` for a run folder that already exists, keeping its status file: `running` while it
 * runs, then `finished`, or `failed` / `interrupted` with the error, so `tradai runs list` shows
 * how a run ended and a failed run never looks like a run that is missing files.
 */
export async function keepRunStatus<T>(meta: {runId: string; runDir: string; kind: RunKind; strategy: string; signal?: AbortSignal}, work: () => Promise<T>): Promise<T> {
  const base = {runId: meta.runId, kind: meta.kind, strategy: meta.strategy, startedAt: new Date().toISOString()}
  const write = (record: RunStatusRecord) => writeFile(path.join(meta.runDir, STATUS_FILE), `${JSON.stringify(record, null, 2)}\n`)
  await write({...base, status: 'running', endedAt: null, error: null}).catch((error: NodeJS.ErrnoException) => {
    throw new ConfigError(`The run folder ${meta.runDir} is not writable (${error.code ?? 'error'}).`, {code: 'OUTPUT_DIR', details: {runDir: meta.runDir}})
  })
  try {
    const result = await work()
    await write({...base, status: 'finished', endedAt: new Date().toISOString(), error: null})
    return result
  } catch (raw) {
    const error: unknown = meta.signal?.aborted ? meta.signal.reason : raw
    const known = error instanceof TradaiError ? error : null
    await write({
      ...base,
      status: error instanceof InterruptedError ? 'interrupted' : 'failed',
      endedAt: new Date().toISOString(),
      error: {code: known?.code ?? 'INTERNAL', message: error instanceof Error ? error.message : String(error), exitCode: known?.exitCode ?? 70},
    }).catch(() => {})
    throw raw
  }
}
