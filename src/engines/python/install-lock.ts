import {mkdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import path from 'node:path'

import {EngineError} from '../../core/errors.js'
import type {CoreContext} from '../../core/events.js'
import {processAlive, sleep} from '../../core/wait.js'

const POLL_MS = 1000
/** An install from a warm cache takes 1–2 min, from PyPI a few: a wait this long means the owner is stuck. */
const MAX_WAIT_MS = 20 * 60_000
/** A lock file still empty after this long was left by a process that died between creating and writing it. */
const EMPTY_STALE_MS = 30_000

/**
 * One install of a virtual environment at a time, across processes: two commands that both find
 * it missing (two test files, two terminals on a fresh machine) would otherwise remove and
 * recreate the same folder under each other. The lock file (`<dir>.installing`) holds the owner's
 * pid; a waiter polls until it is gone, then checks again whether the environment is ready (the
 * owner installed it) before installing itself. A lock whose process is gone is taken over.
 */
export async function installOnce(dir: string, ready: () => boolean, install: () => Promise<void>, ctx: CoreContext): Promise<void> {
  const lockFile = `${dir}.installing`
  mkdirSync(path.dirname(lockFile), {recursive: true})
  const started = Date.now()
  let told = false
  for (;;) {
    if (ready()) return
    try {
      writeFileSync(lockFile, String(process.pid), {flag: 'wx'})
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const owner = lockOwner(lockFile)
      if (owner === 'stale') {
        rmSync(lockFile, {force: true})
        continue
      }

      if (Date.now() - started > MAX_WAIT_MS) {
        throw new EngineError(`Waited ${MAX_WAIT_MS / 60_000} min for process ${owner} to finish installing ${dir}.`, {
          suggestions: [`Stop that process, or delete ${lockFile} if it is gone, then run the command again.`],
        })
      }

      if (!told) ctx.onEvent({type: 'log', level: 'warning', message: `process ${owner} is installing ${dir}; waiting for it`})
      told = true
      await sleep(POLL_MS, ctx.signal)
      continue
    }

    try {
      if (!ready()) await install()
    } finally {
      rmSync(lockFile, {force: true})
    }

    return
  }
}

/** The live owner's pid, or 'stale' (its process is gone; or the file stayed empty). */
function lockOwner(lockFile: string): number | 'stale' | 'unknown' {
  let text: string
  try {
    text = readFileSync(lockFile, 'utf8').trim()
  } catch {
    return 'unknown' // removed just now: the next round takes it
  }

  const owner = Number(text)
  // This very process counts as a live owner: `tradai serve` may open one environment for two jobs at once.
  if (Number.isInteger(owner) && owner > 0) return processAlive(owner) ? owner : 'stale'
  // Created but not yet written by its owner, or left so by one that died in between.
  try {
    return Date.now() - statSync(lockFile).mtimeMs > EMPTY_STALE_MS ? 'stale' : 'unknown'
  } catch {
    return 'unknown'
  }
}
