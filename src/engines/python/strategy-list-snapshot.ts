import {createHash} from 'node:crypto'
import {readFileSync, realpathSync, statSync} from 'node:fs'
import path from 'node:path'

import type {CoreEvent} from '../../core/events.js'

/**
 * `strategy list` without starting Python: the engine keeps the whole answer of a static listing
 * with every input it was read from (python/tradai_engine/strategy_list_snapshot.py decides which
 * inputs count and writes them). The rule here is only "the same request, and every recorded
 * stat (size, mtime) and sha256 is still what the engine saw"; anything else, or any doubt, is a
 * miss and Python answers (and refreshes the snapshot). test/e2e/strategy-list-show.test.ts pins
 * both ends: a hit prints what Python printed, each kind of change is a miss.
 */

/** strategy_list_snapshot.VERSION */
const VERSION = 1

interface RecordedInput {
  path: string
  stat: [string, string] | null
  sha256?: string
}

export interface StrategyListSnapshot {
  result: unknown
  logs: Array<{level: 'debug' | 'info' | 'warning' | 'error'; message: string}>
}

export function snapshotFile(engineDir: string): string {
  return path.join(engineDir, 'tradai-cache', 'strategy-list.json')
}

/** The engine's last answer to this request when none of its inputs changed, else undefined. */
export function reusableStrategyList(engineDir: string, strategyPath: string, cwd: string, pythonEnv: NodeJS.ProcessEnv): StrategyListSnapshot | undefined {
  try {
    const stored = JSON.parse(readFileSync(snapshotFile(engineDir), 'utf8')) as {version?: unknown; requests?: unknown}
    if (stored.version !== VERSION || !Array.isArray(stored.requests)) return undefined
    const request = {strategyPath, cwd: realpathSync.native(cwd), pythonEnv: pythonEnvHash(pythonEnv)}
    const hit = (stored.requests as Array<Record<string, unknown>>).find(
      (entry) => entry.strategyPath === request.strategyPath && entry.cwd === request.cwd && entry.pythonEnv === request.pythonEnv,
    )
    if (!hit || !Array.isArray(hit.inputs) || !Array.isArray(hit.logs) || !(hit.inputs as RecordedInput[]).every(unchanged)) return undefined
    return {result: hit.result, logs: hit.logs as StrategyListSnapshot['logs']}
  } catch {
    return undefined
  }
}

/** The snapshot's log lines as the bridge would have forwarded them. */
export function snapshotEvents(snapshot: StrategyListSnapshot): CoreEvent[] {
  return snapshot.logs.map((line) => ({type: 'log', level: line.level, message: line.message}))
}

/** strategy_list_snapshot.python_env_hash: sha256 of the PYTHON* variables as sorted `NAME=value` lines. */
export function pythonEnvHash(env: NodeJS.ProcessEnv): string {
  const names = Object.keys(env)
    .filter((name) => name.startsWith('PYTHON') && env[name] !== undefined)
    .sort()
  return createHash('sha256')
    .update(names.map((name) => `${name}=${env[name]}\n`).join(''))
    .digest('hex')
}

function unchanged(input: RecordedInput): boolean {
  const stat = statSync(input.path, {bigint: true, throwIfNoEntry: false})
  const now = stat ? [String(stat.size), String(stat.mtimeNs)] : null
  if (JSON.stringify(now) !== JSON.stringify(input.stat)) return false
  return input.sha256 === undefined || createHash('sha256').update(readFileSync(input.path)).digest('hex') === input.sha256
}
