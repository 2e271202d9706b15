import type {CoreEvent} from '../core/events.js'

/** A counter with a total (epochs 12/100): a line every 2 s reads as progress. */
export const COUNTER_LINE_INTERVAL_MS = 2000
/**
 * A counter without a total is waiting (seconds waiting for MLflow's /health, polled every
 * 300 ms): one line every 10 s, or a slow server start fills a CI log with dozens of them.
 */
export const WAITING_LINE_INTERVAL_MS = 10_000

/**
 * Which progress events the plain-lines renderer (CI, pipes) prints: the first of a step (a new
 * stage or message) and a finished counter always, otherwise at most one line per interval.
 */
export class ProgressThrottle {
  private lastLine = Number.NEGATIVE_INFINITY
  private lastStep?: string

  shouldPrint(event: Extract<CoreEvent, {type: 'progress'}>, now: number): boolean {
    const complete = event.total !== undefined && event.current >= event.total
    const step = `${event.stage}\u0000${event.message ?? ''}`
    const interval = event.total === undefined ? WAITING_LINE_INTERVAL_MS : COUNTER_LINE_INTERVAL_MS
    if (!complete && step === this.lastStep && now - this.lastLine < interval) return false
    this.lastLine = now
    this.lastStep = step
    return true
  }
}
