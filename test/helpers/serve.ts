import {spawn, type ChildProcess} from 'node:child_process'
import path from 'node:path'

import {ENGINE_DIR, REPO} from './paths.js'
import {TEST_CONFIG_HOME, TEST_DATA_HOME} from './cli.js'

export interface ServeOptions {
  /** The server's working directory (its engine processes run there too). */
  cwd: string
  env: NodeJS.ProcessEnv
  token?: string
  /** The command to run; default `node bin/run.js serve --host 127.0.0.1 --port 0`. */
  command?: {file: string; args: string[]}
  startTimeoutMs?: number
}

export interface ServeProcess {
  url: string
  pid: number
  child: ChildProcess
  /** Every stderr line so far (the server's JSON log). */
  logLines(): string[]
  /** fetch with the bearer token (unless `auth: false`), JSON body in, parsed body out. */
  call<T = Record<string, any>>(method: string, route: string, body?: unknown, options?: {auth?: boolean; token?: string}): Promise<{status: number; body: T; headers: Headers}>
  /** Resolves with the exit code when the process ends. */
  exited: Promise<{code: number | null; signal: NodeJS.Signals | null}>
  stop(signal?: NodeJS.Signals): Promise<{code: number | null; signal: NodeJS.Signals | null}>
}

/** A REAL `tradai serve` on 127.0.0.1 and a free port, as a user starts it; resolves once it listens. */
export async function startServe(options: ServeOptions): Promise<ServeProcess> {
  const command = options.command ?? {file: process.execPath, args: [path.join(REPO, 'bin/run.js'), 'serve', '--host', '127.0.0.1', '--port', '0']}
  const child = spawn(command.file, command.args, {
    cwd: options.cwd,
    env: {
      ...process.env,
      CI: 'true',
      TRADAI_ENGINE_DIR: ENGINE_DIR,
      // The CLI's own test config folder: the server signs and verifies with the key the CLI uses, never the user's.
      XDG_CONFIG_HOME: TEST_CONFIG_HOME,
      // Per-user folders (a command run without TRADAI_ENGINE_DIR) land here, never in the real ~/.local/share/tradai.
      XDG_DATA_HOME: TEST_DATA_HOME,
      ...(options.token ? {TRADAI_API_TOKEN: options.token} : {}),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const lines: string[] = []
  let buffer = ''
  const exited = new Promise<{code: number | null; signal: NodeJS.Signals | null}>((resolve) => child.on('close', (code, signal) => resolve({code, signal})))
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`tradai serve did not start:\n${lines.join('\n')}`)), options.startTimeoutMs ?? 120_000)
    child.stderr!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString()
      const parts = buffer.split('\n')
      buffer = parts.pop()!
      for (const line of parts) {
        lines.push(line)
        const listening = /"msg":"listening","url":"([^"]+)"/.exec(line)
        if (listening) {
          clearTimeout(timer)
          resolve(listening[1]!)
        }
      }
    })
    void exited.then(({code}) => {
      clearTimeout(timer)
      reject(new Error(`tradai serve exited ${code} before listening:\n${lines.join('\n')}${buffer}`))
    })
  })
  const call: ServeProcess['call'] = async (method, route, body, callOptions = {}) => {
    const headers: Record<string, string> = {}
    const token = callOptions.token ?? options.token
    if (callOptions.auth !== false && token) headers.authorization = `Bearer ${token}`
    if (body !== undefined) headers['content-type'] = 'application/json'
    const response = await fetch(`${url}${route}`, {method, headers, body: body === undefined ? undefined : JSON.stringify(body)})
    const text = await response.text()
    let parsed: unknown = text
    try {
      parsed = JSON.parse(text)
    } catch {
      // not JSON: the test sees the text
    }

    return {status: response.status, body: parsed as any, headers: response.headers}
  }

  return {
    url,
    pid: child.pid!,
    child,
    logLines: () => [...lines],
    call,
    exited,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
      return exited
    },
  }
}

/** Polls a job until it is finished (or the timeout passes: then the last record is returned). */
export async function waitForJob(server: ServeProcess, id: string, timeoutMs = 600_000): Promise<Record<string, any>> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const {body} = await server.call('GET', `/v1/jobs/${id}`)
    if (['succeeded', 'failed', 'cancelled'].includes(body.status) || Date.now() > deadline) return body
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}

export interface SseMessage {
  id?: string
  event: string
  data: any
}

/** Reads a server-sent-event stream to its end: every message, in the order received. */
export async function readEvents(url: string, token?: string, onMessage?: (message: SseMessage) => void): Promise<SseMessage[]> {
  const response = await fetch(url, {headers: token ? {authorization: `Bearer ${token}`} : {}})
  if (!response.ok || !response.body) throw new Error(`events: HTTP ${response.status}: ${await response.text()}`)
  const messages: SseMessage[] = []
  const decoder = new TextDecoder()
  let buffer = ''
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, {stream: true})
    let split: number
    while ((split = buffer.indexOf('\n\n')) !== -1) {
      const block = buffer.slice(0, split)
      buffer = buffer.slice(split + 2)
      const message: SseMessage = {event: 'message', data: undefined}
      for (const line of block.split('\n')) {
        const [field, ...rest] = line.split(': ')
        const value = rest.join(': ')
        if (field === 'id') message.id = value
        else if (field === 'event') message.event = value
        else if (field === 'data') message.data = JSON.parse(value)
      }

      messages.push(message)
      onMessage?.(message)
    }
  }

  return messages
}
