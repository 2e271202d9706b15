import {readFileSync} from 'node:fs'
import path from 'node:path'

import {processAlive} from '../wait.js'

/** `tradai tracking start` writes the server it started here, in its server folder (tracking.serverDir). */
export const SERVER_STATE_FILE = 'server.json'

export interface RememberedServer {
  url: string
  pid: number
  /** The state file it was read from. */
  file: string
}

/**
 * The server `tradai tracking start` runs from this folder, if its process is still alive: later
 * commands default to its URL. `tracking stop` deletes the file; a dead pid is ignored (the file is
 * stale), so a server that is gone is forgotten without anyone cleaning up.
 */
export function rememberedServer(serverDir: string): RememberedServer | undefined {
  const file = path.join(serverDir, SERVER_STATE_FILE)
  let state: {url?: unknown; pid?: unknown}
  try {
    state = JSON.parse(readFileSync(file, 'utf8')) as typeof state
  } catch {
    return undefined
  }

  if (typeof state.url !== 'string' || !/^https?:\/\//.test(state.url) || typeof state.pid !== 'number' || !Number.isInteger(state.pid) || state.pid <= 0) return undefined
  if (!processAlive(state.pid)) return undefined
  return {url: state.url, pid: state.pid, file}
}
