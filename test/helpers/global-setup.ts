import {execFileSync} from 'node:child_process'
import {existsSync} from 'node:fs'
import path from 'node:path'

import {ENGINE_DIR, REPO} from './paths.js'

/**
 * Once per test run: the CLI must be built (tests run bin/run.js like a user) and the engine
 * installed (idempotent: a no-op when it is already up to date).
 */
export default function setup(): void {
  if (!existsSync(path.join(REPO, 'dist/commands'))) throw new Error('dist/ is missing: run `npm test` (it builds first)')
  execFileSync(process.execPath, [path.join(REPO, 'bin/run.js'), 'engine', 'setup', '--dev'], {
    cwd: REPO,
    env: {...process.env, CI: 'true', TRADAI_ENGINE_DIR: ENGINE_DIR},
    stdio: ['ignore', 'inherit', 'inherit'],
  })
}
