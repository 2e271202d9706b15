import {spawn} from 'node:child_process'
import {closeSync, openSync} from 'node:fs'
import {createInterface} from 'node:readline'

import {abortError} from '../../core/errors.js'

export interface SpawnTreeOptions {
  cwd?: string
  env: NodeJS.ProcessEnv
  signal: AbortSignal
  /** The request on stdin; a promise starts the process first (its imports overlap other work) and writes it once known. */
  input?: string | Promise<string>
  onStdoutLine?: (line: string) => void
  onStderrLine?: (line: string) => void
}

export interface SpawnTreeResult {
  exitCode: number | null
  signal: NodeJS.Signals | null
  /** The last lines of stderr, for error messages. */
  stderrTail: string[]
}

const STDERR_TAIL_LINES = 40
const KILL_GRACE_MS = 5000
const live = new Set<number>()

// If tradai itself dies (uncaught error, process.exit), take the engine trees with it: no orphans.
process.once('exit', () => {
  for (const pid of live) killGroup(pid, 'SIGKILL')
})

/**
 * Spawns a child in its own process group so that stopping it stops everything it started
 * (Freqtrade's hyperopt workers, pip's builds). Abort → SIGTERM to the group, SIGKILL after a
 * grace period; the promise then rejects with the abort reason (an InterruptedError).
 */
export async function spawnTree(command: string, args: string[], options: SpawnTreeOptions): Promise<SpawnTreeResult> {
  if (options.signal.aborted) throw abortError(options.signal)
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  const stderrTail: string[] = []
  let killTimer: NodeJS.Timeout | undefined

  const onAbort = () => {
    if (child.pid === undefined) return
    killGroup(child.pid, 'SIGTERM')
    killTimer = setTimeout(() => killGroup(child.pid!, 'SIGKILL'), KILL_GRACE_MS)
    killTimer.unref()
  }

  options.signal.addEventListener('abort', onAbort, {once: true})
  if (child.pid !== undefined) live.add(child.pid)

  createInterface({input: child.stdout}).on('line', (line) => options.onStdoutLine?.(line))
  createInterface({input: child.stderr}).on('line', (line) => {
    stderrTail.push(line)
    if (stderrTail.length > STDERR_TAIL_LINES) stderrTail.shift()
    options.onStderrLine?.(line)
  })
  child.stdin.on('error', () => {}) // the child may exit before reading its input
  // A withdrawn request (the caller failed before it was known) closes stdin empty: the operation refuses it and exits.
  void Promise.resolve(options.input ?? '').then(
    (text) => child.stdin.end(text),
    () => child.stdin.end(''),
  )

  try {
    const [exitCode, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
      child.once('error', reject)
      child.once('close', (code, sig) => resolve([code, sig]))
    })
    if (options.signal.aborted) throw abortError(options.signal)
    return {exitCode, signal, stderrTail}
  } finally {
    options.signal.removeEventListener('abort', onAbort)
    if (killTimer) clearTimeout(killTimer)
    if (child.pid !== undefined) {
      // The leader is gone; make sure nothing it started lingers in its group.
      killGroup(child.pid, 'SIGKILL')
      live.delete(child.pid)
    }
  }
}

/** Signals a whole process group (`pid` is its leader); a group that is gone is not an error. */
export function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal)
  } catch {
    // already gone
  }
}

/**
 * Spawns a child that outlives this process: its own process group (stopping the group stops
 * all it started), stdin from a file, stdout/stderr appended to files. Resolves with its pid.
 */
export async function spawnDetachedProcess(command: string, args: string[], options: {cwd?: string; env: NodeJS.ProcessEnv; request: string; stdout: string; stderr: string}): Promise<number> {
  const fds = [openSync(options.request, 'r'), openSync(options.stdout, 'a'), openSync(options.stderr, 'a')]
  try {
    const child = spawn(command, args, {cwd: options.cwd, env: options.env, detached: true, stdio: fds})
    const pid = await new Promise<number>((resolve, reject) => {
      child.once('error', reject)
      child.once('spawn', () => resolve(child.pid!))
    })
    child.unref()
    return pid
  } finally {
    for (const fd of fds) closeSync(fd)
  }
}
