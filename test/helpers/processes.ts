import {readdirSync, readlinkSync} from 'node:fs'

/** Pids of live processes whose working directory is `cwd` (how tests find a run's engine tree). */
export function processesIn(cwd: string): number[] {
  const pids: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      if (readlinkSync(`/proc/${entry}/cwd`) === cwd) pids.push(Number(entry))
    } catch {
      // gone, or not ours to read
    }
  }

  return pids
}

export async function waitFor(condition: () => boolean, timeoutMs: number, stepMs = 50): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (condition()) return true
    await new Promise((resolve) => setTimeout(resolve, stepMs))
  }

  return condition()
}
