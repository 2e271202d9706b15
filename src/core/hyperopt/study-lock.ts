import {mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import path from 'node:path'

import {UsageError} from '../errors.js'
import {processAlive} from '../wait.js'

/**
 * One run at a time per journal study: the journal file is local, and a run fails the RUNNING
 * trials it finds as orphans of a stopped run, which is only right when no other run is live.
 * The lock file (`<journal>.pid`, not `.lock`: that name is Optuna's own journal lock) holds the
 * owner's pid; a lock whose process is gone is taken over.
 */
export function lockJournalStudy(journalFile: string): () => void {
  const lockFile = `${journalFile}.pid`
  mkdirSync(path.dirname(lockFile), {recursive: true})
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lockFile, String(process.pid), {flag: 'wx'})
      return () => rmSync(lockFile, {force: true})
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const owner = Number(readFileSync(lockFile, 'utf8').trim())
      if (owner && owner !== process.pid && processAlive(owner)) {
        throw new UsageError(`Study ${path.basename(journalFile, '.log')} is being optimized by process ${owner}.`, {
          suggestions: ['Wait for that run to finish, or use --storage postgresql://... to let many workers share a study.'],
        })
      }

      rmSync(lockFile, {force: true}) // a stopped run's lock
    }
  }

  throw new UsageError(`Could not lock ${journalFile}.`)
}

/** `<studiesDir>/<study>.log`: the default storage of a study. */
export function journalFile(studiesDir: string, study: string): string {
  return path.join(studiesDir, `${study}.log`)
}

/**
 * Default folder of journal studies: config studiesDir (the loader fills it: beside the engine,
 * per-user by default), else `studies` beside the engine folder.
 */
export function studiesDir(from: string | {engine: {dir: string}; studiesDir?: string}): string {
  if (typeof from !== 'string' && from.studiesDir) return from.studiesDir
  return path.join(path.dirname(typeof from === 'string' ? from : from.engine.dir), 'studies')
}
