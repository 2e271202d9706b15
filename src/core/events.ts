/**
 * What core functions tell the outside world while they work. The CLI turns these into a
 * listr2 tree (TTY), plain lines (CI / no TTY) or nothing (--json); core never prints.
 */
export type CoreEvent =
  | {type: 'stage'; stage: string; status: 'start' | 'done' | 'skip' | 'fail'; message?: string}
  | {type: 'progress'; stage: string; current: number; total?: number; message?: string}
  | {type: 'log'; level: 'debug' | 'info' | 'warning' | 'error'; message: string}

export type EventSink = (event: CoreEvent) => void

/** What every core call receives besides its request. */
export interface CoreContext {
  signal: AbortSignal
  onEvent: EventSink
}

/** Runs `work` as a named stage: start, done, or fail with the error passed through. */
export async function inStage<T>(ctx: CoreContext, stage: string, work: () => Promise<T>, message?: string): Promise<T> {
  ctx.onEvent({type: 'stage', stage, status: 'start', message})
  try {
    const value = await work()
    ctx.onEvent({type: 'stage', stage, status: 'done'})
    return value
  } catch (error) {
    ctx.onEvent({type: 'stage', stage, status: 'fail'})
    throw error
  }
}
