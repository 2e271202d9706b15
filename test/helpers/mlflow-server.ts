import path from 'node:path'

import {mlflowHealth} from '../../src/engines/mlflow/health.js'
import {processAlive} from '../../src/core/wait.js'
import {logTail, spawnServer, stopProcessGroup} from '../../src/engines/mlflow/local-server.js'
import {freeLocalPort as freePort} from '../../src/engines/net-port.js'
import {ENGINE_DIR, tempDir} from './paths.js'

export interface TestMlflowServer {
  url: string
  port: number
  dir: string
  pid: number
  stop(): Promise<void>
}

/** A free TCP port on 127.0.0.1: the same helper the CLI uses for its own servers. */
export {freePort}

/**
 * A REAL MLflow server from the engine's environment on 127.0.0.1, with a fresh SQLite store
 * and artifact folder: the same `mlflow server` command `tradai tracking start` runs. Waits for
 * /health (slow on a busy machine); `stop()` ends its whole process tree.
 */
export async function startMlflowServer(options: {port?: number; dir?: string; timeoutMs?: number} = {}): Promise<TestMlflowServer> {
  const port = options.port ?? (await freePort())
  const dir = options.dir ?? tempDir('tradai-mlflow-')
  const state = await spawnServer({
    mlflow: path.join(ENGINE_DIR, 'bin', 'mlflow'),
    dir,
    host: '127.0.0.1',
    port,
    workers: 1,
    env: {...process.env},
  })
  const stop = () => stopProcessGroup(state.pid, 5000)
  const deadline = Date.now() + (options.timeoutMs ?? 240_000)
  const signal = new AbortController().signal
  for (;;) {
    if ((await mlflowHealth(state.url, signal)).reachable) break
    if (!processAlive(state.pid) || Date.now() > deadline) {
      await stop()
      throw new Error(`MLflow test server on port ${port} did not come up:\n${await logTail(dir, 30)}`)
    }

    await new Promise((resolve) => setTimeout(resolve, 300))
  }

  return {url: state.url, port, dir, pid: state.pid, stop}
}
