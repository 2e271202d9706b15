import {spawnSync} from 'node:child_process'
import {chmodSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {TEST_DATA_HOME} from '../helpers/cli.js'
import {ENGINE_DIR, REPO, tempDir} from '../helpers/paths.js'

/**
 * README blocks fenced as ```sh tested claim to work as written on a fresh clone. Each runs here
 * with bash, line by line, from the repository root, `tradai` on PATH (bin/run.js, as `npm link`
 * gives). `npm ci` / `npm run build` lines are skipped: the suite runs after a build, and the
 * shared engine is used (TRADAI_ENGINE_DIR). A line ending in `# exit N` must exit N; every other
 * line must exit 0.
 */
const README = readFileSync(path.join(REPO, 'README.md'), 'utf8')
const BLOCKS = [...README.matchAll(/^```sh tested\n([\s\S]*?)^```$/gm)].map((match) => match[1]!)

function shim(): string {
  const bin = tempDir('tradai-readme-bin-')
  const tradai = path.join(bin, 'tradai')
  writeFileSync(tradai, `#!/bin/sh\nexec "${process.execPath}" "${path.join(REPO, 'bin/run.js')}" "$@"\n`)
  chmodSync(tradai, 0o755)
  return bin
}

describe('README command blocks marked `sh tested`', () => {
  it('there are such blocks (Install and run among them)', () => {
    expect(BLOCKS.length).toBeGreaterThanOrEqual(1)
    expect(BLOCKS.join('\n')).toContain('data sample')
  })

  const bin = shim()
  for (const [index, block] of BLOCKS.entries()) {
    it(`block ${index + 1} runs as written`, {timeout: 900_000}, () => {
      for (const raw of block.split('\n')) {
        const line = raw.trim()
        if (!line || line.startsWith('#') || /^npm (ci|run build)\b/.test(line)) continue
        const expected = Number(/#\s*exit (\d+)\s*$/.exec(line)?.[1] ?? 0)
        const run = spawnSync('bash', ['-c', line], {
          cwd: REPO,
          env: {
            ...process.env,
            PATH: `${bin}:${process.env.PATH}`,
            CI: 'true',
            TRADAI_ENGINE_DIR: ENGINE_DIR,
            TRADAI_MLFLOW_TRACKING_URI: 'http://127.0.0.1:9',
            XDG_DATA_HOME: TEST_DATA_HOME,
          },
          encoding: 'utf8',
          timeout: 850_000,
        })
        expect(run.status, `${line}\n${run.stdout.slice(-1500)}\n${run.stderr.slice(-1500)}`).toBe(expected)
      }
    })
  }
})
