import {abortError} from './errors.js'

/** Waits `ms`, or rejects with the abort reason as soon as `signal` aborts (retries, lock polling). */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) throw abortError(signal)
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms)
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer)
        reject(abortError(signal))
      },
      {once: true},
    )
  })
}

/** Whether a process with this pid exists (EPERM: it exists but is not ours). Used by file locks. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
