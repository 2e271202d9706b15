import {mkdir, writeFile} from 'node:fs/promises'
import path from 'node:path'

import {ConfigError, InterruptedError, TradaiError} from '../errors.js'

export const RUN_STATUS_FILE = 'run-status.json'

export interface RunStatus {
  status: 'running' | 'finished' | 'failed' | 'interrupted'
  runId: string
  startedAt: string
  endedAt: string | null
  /** The error a failed or interrupted run stopped with. */
  error: {code: string; message: string; exitCode: number} | null
}

/** The run folder, or exit 2 naming the output folder that cannot hold it (read-only, a file, ...). */
export async function createRunFolder(runDir: string, outputDir: string): Promise<void> {
  try {
    await mkdir(runDir, {recursive: true})
    await writeFile(path.join(runDir, RUN_STATUS_FILE), '')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error'
    const why = code === 'EACCES' || code === 'EPERM' || code === 'EROFS' ? 'is not writable' : code === 'ENOTDIR' || code === 'EEXIST' ? 'is not a folder' : 'cannot be created'
    throw new ConfigError(`The output folder ${outputDir} ${why} (${code}): the run folder ${runDir} cannot be created.`, {
      code: 'OUTPUT_DIR',
      details: {outputDir, runDir, errno: code},
      suggestions: ['Choose a writable folder with --output-dir (config outputDir, TRADAI_OUTPUT_DIR), or fix the folder\'s permissions.'],
    })
  }
}

/**
 * Marks the run folder with how the run ended: a failed or interrupted run's folder says so and
 * why, instead of looking like a run that is missing files.
 */
export async function writeRunStatus(runDir: string, status: RunStatus): Promise<void> {
  await writeFile(path.join(runDir, RUN_STATUS_FILE), `${JSON.stringify(status, null, 2)}\n`)
}

export function endedStatus(base: Pick<RunStatus, 'runId' | 'startedAt'>, error: unknown): RunStatus {
  const interrupted = error instanceof InterruptedError
  const known = error instanceof TradaiError ? error : null
  return {
    ...base,
    status: interrupted ? 'interrupted' : 'failed',
    endedAt: new Date().toISOString(),
    error: {code: known?.code ?? 'INTERNAL', message: error instanceof Error ? error.message : String(error), exitCode: known?.exitCode ?? 70},
  }
}
