import path from 'node:path'

import {rememberedServer} from '../tracking/server-state.js'
import type {ConfigSource} from './load.js'
import {describeUserDataHome, userDataHome} from './user-dirs.js'

export type ConfigLayer = Map<string, {value: unknown; source: ConfigSource}>

export interface DerivedContext {
  cwd: string
  env: Record<string, string | undefined>
  homedir: string
  /** The project config file that was read: its folder is the project's. */
  configFile?: string
}

/**
 * Defaults that depend on other values, filled in after flags, environment and file (so `config
 * show` prints each folder and why it is there):
 * - engine.dir: the per-user data folder (`$XDG_DATA_HOME/tradai/engine`), so one engine serves
 *   every folder tradai runs from; a project config that sets it keeps it project-local.
 * - studiesDir, tracking.outboxDir, tracking.serverDir: beside the engine (per-user with it, or
 *   wherever a config file or TRADAI_ENGINE_DIR put it).
 * - shadowDir, server.jobsDir: project outputs, `.tradai/` in the config file's folder, else the
 *   working folder (where they always were).
 * - tracking.uri: the server `tradai tracking start` runs, while it runs (below config, env, flags).
 */
export function applyDerivedDefaults(layer: ConfigLayer, context: DerivedContext): void {
  const home = userDataHome(context.env, context.homedir)
  const homeLabel = describeUserDataHome(context.env)
  setDefault(layer, 'engine.dir', path.join(home, 'engine'), `per-user folder ${homeLabel}`)
  const engine = layer.get('engine.dir')!
  if (typeof engine.value === 'string') {
    const stateDir = path.dirname(engine.value)
    const note = engine.source.kind === 'default' ? `per-user folder ${homeLabel}` : 'beside engine.dir'
    setDefault(layer, 'studiesDir', path.join(stateDir, 'studies'), note)
    setDefault(layer, 'tracking.outboxDir', path.join(stateDir, 'outbox'), note)
    setDefault(layer, 'tracking.serverDir', path.join(stateDir, 'mlflow'), note)
  }

  const project = context.configFile ? path.dirname(context.configFile) : context.cwd
  const projectNote = context.configFile ? "the config file's folder" : 'the working folder'
  setDefault(layer, 'shadowDir', path.join(project, '.tradai', 'shadow'), projectNote)
  setDefault(layer, 'server.jobsDir', path.join(project, '.tradai', 'jobs'), projectNote)

  const uri = layer.get('tracking.uri')
  const serverDir = layer.get('tracking.serverDir')?.value
  if ((!uri || uri.source.kind === 'default') && typeof serverDir === 'string') {
    const server = rememberedServer(serverDir)
    if (server) layer.set('tracking.uri', {value: server.url, source: {kind: 'server', path: server.file}})
  }
}

function setDefault(layer: ConfigLayer, key: string, value: string, note: string): void {
  if (!layer.has(key)) layer.set(key, {value, source: {kind: 'default', note}})
}
