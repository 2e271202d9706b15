import {spawn} from 'node:child_process'
import {existsSync, openSync, closeSync} from 'node:fs'
import {mkdir, readFile, rm, writeFile} from 'node:fs/promises'
import {connect} from 'node:net'
import path from 'node:path'

import {SERVER_STATE_FILE} from '../../core/tracking/server-state.js'
import {processAlive, sleep} from '../../core/wait.js'
import {killGroup} from '../python/process-tree.js'

/** The files of a tradai-managed MLflow server, all under one folder (`.tradai/mlflow/`). */
export function serverFiles(dir: string): {db: string; artifacts: string; log: string; state: string} {
  return {
    db: path.join(dir, 'mlflow.db'),
    artifacts: path.join(dir, 'artifacts'),
    log: path.join(dir, 'server.log'),
    state: path.join(dir, SERVER_STATE_FILE),
  }
}

export interface ServerState {
  pid: number
  host: string
  port: number
  url: string
  startedAt: string
}

export interface SpawnServerOptions {
  /** The `mlflow` executable of the environment that serves (the engine's). */
  mlflow: string
  dir: string
  host: string
  port: number
  workers: number
  env: NodeJS.ProcessEnv
}

/**
 * Starts `mlflow server` detached in its own process group (it starts uvicorn workers: stopping
 * the group stops them all), SQLite store and proxied artifacts under `dir`,
 * output to server.log. Returns at once; the caller waits for /health.
 */
export async function spawnServer(options: SpawnServerOptions): Promise<ServerState> {
  const files = serverFiles(options.dir)
  await mkdir(files.artifacts, {recursive: true})
  const log = openSync(files.log, 'a')
  try {
    const child = spawn(
      options.mlflow,
      [
        'server',
        '--backend-store-uri',
        `sqlite:///${files.db}`,
        '--artifacts-destination',
        files.artifacts,
        '--serve-artifacts',
        '--host',
        options.host,
        '--port',
        String(options.port),
        '--workers',
        String(options.workers),
      ],
      // MLflow 3's job runner (huey consumers for GenAI jobs tradai never submits) would start
      // about eight more Python processes of ~270 MB each: off.
      {cwd: options.dir, env: {...options.env, MLFLOW_SERVER_ENABLE_JOB_EXECUTION: 'false'}, detached: true, stdio: ['ignore', log, log]},
    )
    const pid = await new Promise<number>((resolve, reject) => {
      child.once('error', reject)
      child.once('spawn', () => resolve(child.pid!))
    })
    child.unref()
    const state: ServerState = {pid, host: options.host, port: options.port, url: `http://${options.host}:${options.port}`, startedAt: new Date().toISOString()}
    await writeFile(files.state, `${JSON.stringify(state, null, 2)}\n`)
    return state
  } finally {
    closeSync(log)
  }
}

export async function readServerState(dir: string): Promise<ServerState | undefined> {
  const file = serverFiles(dir).state
  if (!existsSync(file)) return undefined
  try {
    return JSON.parse(await readFile(file, 'utf8')) as ServerState
  } catch {
    return undefined
  }
}

export async function clearServerState(dir: string): Promise<void> {
  await rm(serverFiles(dir).state, {force: true})
}

function groupAlive(pid: number): boolean {
  // kill(-pid, 0) asks about the whole process group led by pid.
  return processAlive(-pid)
}

/** SIGTERM to the server's whole process group, SIGKILL after `graceMs`; resolves when all are gone. */
export async function stopProcessGroup(pid: number, graceMs = 10_000): Promise<void> {
  killGroup(pid, 'SIGTERM')
  const deadline = Date.now() + graceMs
  while (groupAlive(pid) && Date.now() < deadline) await sleep(100)
  if (groupAlive(pid)) {
    killGroup(pid, 'SIGKILL')
    const hardDeadline = Date.now() + 5000
    while (groupAlive(pid) && Date.now() < hardDeadline) await sleep(50)
  }
}

/** Whether something already listens on host:port (a server tradai did not start, maybe). */
export async function portInUse(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({host, port})
    socket.setTimeout(1000)
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('timeout', () => {
      socket.destroy()
      resolve(false)
    })
    socket.once('error', () => resolve(false))
  })
}

/** The last lines of the server log, for error messages. */
export async function logTail(dir: string, lines = 15): Promise<string> {
  const text = await readFile(serverFiles(dir).log, 'utf8').catch(() => '')
  return text.trimEnd().split('\n').slice(-lines).join('\n')
}
