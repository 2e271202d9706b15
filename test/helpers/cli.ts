import {spawn} from 'node:child_process'
import path from 'node:path'

import {ENGINE_DIR, REPO, tempDir} from './paths.js'

const TEST_OUTBOX = tempDir('tradai-outbox-')
// Gate keys generated on first use land here, never in the real user's ~/.config/tradai.
/** The user config folder (gate key, credentials) of every tradai this test process starts, CLI and server alike. */
export const TEST_CONFIG_HOME = tempDir('tradai-config-home-')
/** The per-user data folder ($XDG_DATA_HOME) of every tradai this test process starts. */
export const TEST_DATA_HOME = tempDir('tradai-data-home-')

export interface CliResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

export interface CliOptions {
  cwd?: string
  env?: NodeJS.ProcessEnv
  /** Written to the command's stdin (a pipe, not a terminal); without it stdin is closed. */
  input?: string
  /** Called once with the child, e.g. to send it a signal mid-run. */
  onSpawn?: (child: ReturnType<typeof spawn>) => void
}

/** Runs `bin/run.js` as a user would: a real process, real stdout/stderr and exit code. */
export async function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const child = spawn(process.execPath, [path.join(REPO, 'bin/run.js'), ...args], {
    cwd: options.cwd ?? REPO,
    env: {
      ...process.env,
      CI: 'true',
      TRADAI_ENGINE_DIR: ENGINE_DIR,
      // Tests never talk to a tracking server they did not start.
      TRADAI_MLFLOW_TRACKING_URI: 'http://127.0.0.1:9',
      // ...so their runs are queued: into a folder of this test process, never the project's outbox.
      TRADAI_OUTBOX_DIR: TEST_OUTBOX,
      XDG_CONFIG_HOME: TEST_CONFIG_HOME,
      // Per-user folders (a command run without TRADAI_ENGINE_DIR) land here, never in the real ~/.local/share/tradai.
      XDG_DATA_HOME: TEST_DATA_HOME,
      ...options.env,
    },
    stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  })
  if (options.input !== undefined) child.stdin!.end(options.input)
  options.onSpawn?.(child)
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (exitCode, sig) => resolve([exitCode, sig])))
  return {code, signal, stdout, stderr}
}

/** Parses stdout as the one JSON document `--json` promises (fails the test otherwise). */
export function json<T = Record<string, unknown>>(result: CliResult): T {
  try {
    return JSON.parse(result.stdout) as T
  } catch {
    throw new Error(`stdout is not one JSON document (exit ${result.code}):\n${result.stdout}\n--- stderr ---\n${result.stderr}`)
  }
}
