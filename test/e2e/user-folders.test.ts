import {writeFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {json, runCli} from '../helpers/cli.js'
import {schemaErrors} from '../helpers/json-schema.js'
import {tempDir} from '../helpers/paths.js'

/**
 * A linked `tradai` run from several folders uses ONE engine (per-user, $XDG_DATA_HOME/tradai),
 * not one per folder; a project config keeps its own; TRADAI_ENGINE_DIR beats both. Without the
 * engine variable the tests' own (the helpers set TRADAI_ENGINE_DIR) is out of the way: no install
 * happens, `engine info` only says where the engine is.
 */
describe('per-user folders (the CLI, from different working folders)', () => {
  const dataHome = tempDir('tradai-xdg-')
  const env = {TRADAI_ENGINE_DIR: '', TRADAI_OUTBOX_DIR: '', XDG_DATA_HOME: dataHome}
  const engineDirFrom = async (cwd: string, extra: Record<string, string> = {}) => {
    const run = await runCli(['engine', 'info', '--json'], {cwd, env: {...env, ...extra}})
    expect(run.code, run.stderr).toBe(0)
    return json<{dir: string; dirSource: string; status: string}>(run)
  }

  it('two folders without a project config share $XDG_DATA_HOME/tradai/engine; config show names the source', async () => {
    const [a, b] = [await engineDirFrom(tempDir()), await engineDirFrom(tempDir())]
    expect(a).toMatchObject({dir: path.join(dataHome, 'tradai/engine'), dirSource: 'default (per-user folder $XDG_DATA_HOME/tradai)', status: 'missing'})
    expect(b.dir).toBe(a.dir)

    const shown = json<{entries: Array<{key: string; value: unknown; source: string; sourceKind: string}>}>(await runCli(['config', 'show', '--json'], {cwd: tempDir(), env}))
    expect(schemaErrors('config-show', shown)).toEqual([])
    const entry = (key: string) => shown.entries.find((item) => item.key === key)
    for (const [key, folder] of [
      ['engine.dir', 'engine'],
      ['studiesDir', 'studies'],
      ['tracking.outboxDir', 'outbox'],
      ['tracking.serverDir', 'mlflow'],
    ])
      expect(entry(key!), key).toMatchObject({value: path.join(dataHome, 'tradai', folder!), sourceKind: 'default'})
  })

  it("a project config's engine.dir wins (relative to its file); TRADAI_ENGINE_DIR wins over both", async () => {
    const project = tempDir('tradai-project-')
    writeFileSync(path.join(project, 'tradai.config.yaml'), 'engine:\n  dir: .tradai/engine\n')
    const local = await engineDirFrom(project)
    expect(local).toMatchObject({dir: path.join(project, '.tradai/engine'), dirSource: `file ${path.join(project, 'tradai.config.yaml')}`})
    const forced = await engineDirFrom(project, {TRADAI_ENGINE_DIR: path.join(dataHome, 'elsewhere')})
    expect(forced).toMatchObject({dir: path.join(dataHome, 'elsewhere'), dirSource: 'environment variable TRADAI_ENGINE_DIR'})
  })
})
