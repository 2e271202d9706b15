import {randomUUID} from 'node:crypto'

import {sleep} from '../wait.js'
import {NotFoundError, TrackingError} from '../errors.js'
import type {RegistryPort} from '../ports/registry.js'
import {MODEL_TAG, tagMap} from './tags.js'
import {systemClock, type ClockPort} from '../ports/clock.js'

/** Who holds a model's promotion lock, until when. */
export interface LockInfo {
  token: string
  who: string
  at: string
  expiresAt: string
}

export interface LockOptions {
  who: string
  /** A crashed holder's lock is taken over after this long. */
  ttlMs?: number
  /** Wait after writing before checking that the write won: longer than a racer's read-then-write. */
  settleMs?: number
  /** How long to wait for another holder before giving up (exit 4). */
  waitMs?: number
  signal?: AbortSignal
  /** Judges lock expiry and stamps `at`/`expiresAt` (a test pins it); waiting uses real time. */
  clock?: ClockPort
}

export function parseLock(value: string | undefined): LockInfo | null {
  if (!value) return null
  try {
    const lock = JSON.parse(value) as LockInfo
    return typeof lock.token === 'string' && typeof lock.expiresAt === 'string' ? lock : null
  } catch {
    return null
  }
}

/**
 * Runs `work` holding the model's promotion lock: a registered-model tag written with a fresh
 * token, then read back after `settleMs`. MLflow has no compare-and-set, so this is
 * write-then-verify: of two racers the later write wins and the earlier one sees a foreign token
 * on its re-read and backs off. A racer whose read→write gap exceeds the settle time starts over,
 * which closes the window where both could read "free" and both verify their own token.
 * The plan is made and checked after the lock is taken, and the apply re-verifies aliases, so a
 * writer that ignores the lock (the MLflow UI) is detected rather than overwritten silently.
 */
export async function withRegistryLock<T>(port: RegistryPort, model: string, options: LockOptions, work: () => Promise<T>): Promise<T> {
  const ttlMs = options.ttlMs ?? 120_000
  const settleMs = options.settleMs ?? 750
  const clock = options.clock ?? systemClock
  const deadline = Date.now() + (options.waitMs ?? 15_000)
  const token = randomUUID()
  for (;;) {
    const readAt = Date.now()
    const held = await currentLock(port, model, options.signal)
    if (held && held.token !== token && Date.parse(held.expiresAt) > clock.now()) {
      if (Date.now() > deadline) {
        throw new TrackingError(`Strategy ${model} is being changed by ${held.who} (since ${held.at}); the registry lock is held until ${held.expiresAt}.`, {
          code: 'REGISTRY_BUSY',
          details: {lock: held},
          suggestions: ['Try again when that promotion has finished.'],
        })
      }

      await sleep(settleMs, options.signal)
      continue
    }

    // Too slow between read and write: someone may have written meanwhile; read again.
    if (Date.now() - readAt > settleMs && Date.now() < deadline) continue
    const now = new Date(clock.now())
    const lock: LockInfo = {token, who: options.who, at: now.toISOString(), expiresAt: new Date(now.getTime() + ttlMs).toISOString()}
    await port.setRegisteredModelTag(model, MODEL_TAG.lock, JSON.stringify(lock), options.signal)
    await sleep(settleMs, options.signal)
    if ((await currentLock(port, model, options.signal))?.token === token) break
  }

  try {
    return await work()
  } finally {
    await release(port, model, token)
  }
}

async function currentLock(port: RegistryPort, model: string, signal?: AbortSignal): Promise<LockInfo | null> {
  const registered = await port.getRegisteredModel(model, signal)
  return parseLock(tagMap(registered.tags)[MODEL_TAG.lock])
}

/** Removes the lock if it is still ours (never a successor's); a failure leaves it to expire. */
async function release(port: RegistryPort, model: string, token: string): Promise<void> {
  try {
    if ((await currentLock(port, model))?.token !== token) return
    await port.deleteRegisteredModelTag(model, MODEL_TAG.lock)
  } catch (error) {
    if (!(error instanceof NotFoundError) && !(error instanceof TrackingError)) throw error
  }
}
