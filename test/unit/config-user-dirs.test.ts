import {mkdirSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {describeConfig} from '../../src/core/config/describe.js'
import {loadConfig} from '../../src/core/config/load.js'
import {studiesDir} from '../../src/core/hyperopt/study-lock.js'
import {trackingDirs} from '../../src/core/tracking/paths.js'
import {tempDir} from '../helpers/paths.js'

/** Per-user folders: one engine (and studies, MLflow store, outbox) for every folder tradai runs from. */
describe('per-user folders', () => {
  const dataHome = tempDir('tradai-xdg-data-')
  const env = {XDG_DATA_HOME: dataHome, HOME: '/nonexistent-home'}

  it('two working folders without a project config share one engine, studies, MLflow store and outbox under $XDG_DATA_HOME/tradai', async () => {
    const [a, b] = [await loadConfig({cwd: tempDir(), env}), await loadConfig({cwd: tempDir(), env})]
    const shared = path.join(dataHome, 'tradai')
    for (const resolved of [a, b]) {
      expect(resolved.config.engine.dir).toBe(path.join(shared, 'engine'))
      expect(studiesDir(resolved.config)).toBe(path.join(shared, 'studies'))
      expect(trackingDirs(resolved.config)).toEqual({outboxDir: path.join(shared, 'outbox'), serverDir: path.join(shared, 'mlflow')})
    }

    // Project outputs stay in the project: shadow sessions and serve's jobs under the working folder's .tradai.
    expect(a.config.shadowDir).not.toBe(b.config.shadowDir)
    const entry = (key: string) => describeConfig(a).find((item) => item.key === key)
    expect(entry('engine.dir')).toMatchObject({value: path.join(shared, 'engine'), source: 'default (per-user folder $XDG_DATA_HOME/tradai)', sourceKind: 'default'})
    expect(entry('tracking.outboxDir')).toMatchObject({value: path.join(shared, 'outbox'), sourceKind: 'default'})
    expect(entry('studiesDir')).toMatchObject({value: path.join(shared, 'studies'), sourceKind: 'default'})
  })

  it('without XDG_DATA_HOME: ~/.local/share/tradai', async () => {
    const home = tempDir('tradai-home-')
    const {config, sources} = await loadConfig({cwd: tempDir(), env: {HOME: home}})
    expect(config.engine.dir).toBe(path.join(home, '.local/share/tradai/engine'))
    expect(sources['engine.dir']).toEqual({kind: 'default', note: 'per-user folder ~/.local/share/tradai'})
    // A relative XDG_DATA_HOME is ignored, as the XDG spec says.
    expect((await loadConfig({cwd: tempDir(), env: {HOME: home, XDG_DATA_HOME: 'rel'}})).config.engine.dir).toBe(path.join(home, '.local/share/tradai/engine'))
  })

  it("a project config's folder wins (relative to the config file, its studies/outbox/store beside it); the environment wins over both", async () => {
    const project = tempDir('tradai-project-')
    writeFileSync(path.join(project, 'tradai.config.yaml'), 'engine:\n  dir: .tradai/engine\n')
    const sub = path.join(project, 'strategies', 'deep')
    mkdirSync(sub, {recursive: true})
    const local = await loadConfig({cwd: sub, env})
    expect(local.config.engine.dir).toBe(path.join(project, '.tradai/engine'))
    expect(studiesDir(local.config)).toBe(path.join(project, '.tradai/studies'))
    expect(trackingDirs(local.config).serverDir).toBe(path.join(project, '.tradai/mlflow'))
    expect(local.config.shadowDir).toBe(path.join(project, '.tradai/shadow'))
    expect(describeConfig(local).find((item) => item.key === 'tracking.serverDir')?.source).toBe('default (beside engine.dir)')

    const fromEnv = await loadConfig({cwd: sub, env: {...env, TRADAI_ENGINE_DIR: '/opt/tradai/engine', TRADAI_STUDIES_DIR: '/srv/studies'}})
    expect(fromEnv.config.engine.dir).toBe('/opt/tradai/engine')
    expect(fromEnv.sources['engine.dir']).toEqual({kind: 'env', name: 'TRADAI_ENGINE_DIR'})
    expect(trackingDirs(fromEnv.config).outboxDir).toBe('/opt/tradai/outbox')
    expect(studiesDir(fromEnv.config)).toBe('/srv/studies')
  })
})

describe('the URL `tracking start` serves is remembered', () => {
  const serverState = (dir: string, pid: number) => {
    mkdirSync(dir, {recursive: true})
    writeFileSync(path.join(dir, 'server.json'), JSON.stringify({pid, host: '127.0.0.1', port: 5123, url: 'http://127.0.0.1:5123', startedAt: new Date().toISOString()}))
  }

  it('a live server is the tracking.uri default; explicit config, environment and flags win; a dead pid is forgotten', async () => {
    const mlflowDir = tempDir('tradai-mlflow-state-')
    const env = {XDG_DATA_HOME: tempDir('tradai-xdg-'), TRADAI_MLFLOW_DIR: mlflowDir}
    // This process stands in for the server: alive while the test runs.
    serverState(mlflowDir, process.pid)
    const remembered = await loadConfig({cwd: tempDir(), env})
    expect(remembered.config.tracking.uri).toBe('http://127.0.0.1:5123')
    expect(describeConfig(remembered).find((item) => item.key === 'tracking.uri')).toMatchObject({
      source: `tracking start (${path.join(mlflowDir, 'server.json')})`,
      sourceKind: 'server',
    })

    expect((await loadConfig({cwd: tempDir(), env: {...env, TRADAI_MLFLOW_TRACKING_URI: 'http://mlflow.internal:5000'}})).config.tracking.uri).toBe('http://mlflow.internal:5000')
    const project = tempDir('tradai-project-')
    writeFileSync(path.join(project, 'tradai.config.json'), JSON.stringify({tracking: {uri: 'http://team-mlflow:5000'}}))
    expect((await loadConfig({cwd: project, env})).config.tracking.uri).toBe('http://team-mlflow:5000')

    // A pid no process has (beyond pid_max): the server is gone, its state file stale.
    serverState(mlflowDir, 2 ** 22 + 1)
    const gone = await loadConfig({cwd: tempDir(), env})
    expect(gone.config.tracking.uri).toBe('http://localhost:5000')
    expect(gone.sources['tracking.uri']).toEqual({kind: 'default'})
  })
})
