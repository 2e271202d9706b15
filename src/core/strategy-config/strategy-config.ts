import {existsSync} from 'node:fs'
import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'

import type {EnginePort, RequestOf} from '../ports/engine.js'
import {bridgeDataFields, dataSettingsFromConfig, type BacktestDataSettings} from '../backtest/request.js'
import type {ResolvedConfig} from '../config/load.js'
import {ConfigError, TradaiError} from '../errors.js'
import {inStage, type CoreContext} from '../events.js'
import type {RegistryPort} from '../registry/port.js'
import {pickVersion, readRegistryState} from '../registry/state.js'
import {downloadVersionCode} from '../registry/version-code.js'
import {listStrategies} from '../strategy/list-strategies.js'
import {leaves, maskLeaf, parseValue, readFragment, strategyConfigFile, writeFragment, type Fragment} from './fragment.js'

/** Highest first: what overrides what in the Freqtrade config of a run (README "Strategy configurations"). */
export const PRECEDENCE = ['flags', 'environment', '--freqtrade-config files (in order)', "the strategy's configuration", 'project config', 'strategy metadata', 'tradai defaults']

export const STRATEGY_CONFIG_STAGES = [
  {id: 'engine', title: 'Python engine'},
  {id: 'strategies', title: 'Load the strategies'},
  {id: 'config', title: 'Build the Freqtrade config'},
  {id: 'registry', title: 'Read the registered version'},
]

export interface StrategyConfigTarget {
  strategy: string
  strategiesDir: string
  /** The run's data settings (flags, environment, project config, --freqtrade-config), as a backtest takes them. */
  data: BacktestDataSettings
}

/** The strategy and data settings a `config strategy` command resolves, exactly as a backtest would. */
export function strategyConfigTarget(strategy: string, resolved: ResolvedConfig, freqtradeConfig: string[]): StrategyConfigTarget {
  return {strategy, strategiesDir: resolved.config.strategiesDir, data: dataSettingsFromConfig(resolved, freqtradeConfig)}
}

/** What the engine's `strategy-config` operation returns (docs/bridge-protocol.md). */
interface BridgeStrategyConfig {
  strategy: {name: string; className: string; file: string}
  configFile: string
  exists: boolean
  fragment: Fragment | null
  config: Fragment
  sources: Record<string, string>
  files: Array<{file: string; role: string}>
  warnings: string[]
}

/** `tradai config strategy show --json` (docs/schemas/config-strategy-show.schema.json). */
export interface StrategyConfigShow {
  strategy: {name: string; className: string; file: string}
  configFile: string
  exists: boolean
  fragment: Fragment | null
  /** The effective Freqtrade config a run would use (secrets masked), and each leaf key's source. */
  config: Fragment
  entries: Array<{key: string; value: unknown; source: string}>
  files: Array<{file: string; role: string}>
  warnings: string[]
  precedence: string[]
}

function resolveRequest(target: StrategyConfigTarget): RequestOf<'strategy-config'> {
  return {
    strategy: target.strategy,
    strategyPath: path.resolve(target.strategiesDir),
    userDataDir: path.resolve(target.data.userDataDir),
    runDir: path.join(path.resolve(target.data.outputDir), '<run id>'),
    ...bridgeDataFields(target.data),
  }
}

async function resolve(target: StrategyConfigTarget, engine: EnginePort, ctx: CoreContext): Promise<BridgeStrategyConfig> {
  return inStage(ctx, 'config', async () => (await engine.run('strategy-config', resolveRequest(target), ctx)) as BridgeStrategyConfig)
}

export async function showStrategyConfig(target: StrategyConfigTarget, engine: EnginePort, ctx: CoreContext): Promise<StrategyConfigShow> {
  const bridge = await resolve(target, engine, ctx)
  return {
    strategy: bridge.strategy,
    configFile: bridge.configFile,
    exists: bridge.exists,
    fragment: bridge.fragment,
    config: bridge.config,
    entries: leaves(bridge.config).map(([key, value]) => ({key, value, source: bridge.sources[key] ?? 'tradai default'})),
    files: bridge.files,
    warnings: bridge.warnings,
    precedence: PRECEDENCE,
  }
}

/** `tradai config strategy list --json` (docs/schemas/config-strategy-list.schema.json). */
export interface StrategyConfigList {
  strategiesDir: string
  strategies: Array<{name: string; className: string; file: string; configFile: string; keys: number}>
}

/** The strategies that have a configuration file beside them. */
export async function listStrategyConfigs(strategiesDir: string, engine: EnginePort, ctx: CoreContext): Promise<StrategyConfigList> {
  const listing = await listStrategies({strategiesDir}, engine, ctx)
  const strategies: StrategyConfigList['strategies'] = []
  for (const entry of listing.strategies) {
    const configFile = strategyConfigFile(entry.file)
    if (entry.status !== 'ok' || !entry.className || !existsSync(configFile)) continue
    const fragment = await readFragment(configFile).catch(() => null)
    strategies.push({name: entry.name, className: entry.className, file: entry.file, configFile, keys: fragment ? leaves(fragment).length : 0})
  }

  return {strategiesDir, strategies}
}

/** `tradai config strategy set|unset --json` (docs/schemas/config-strategy-set.schema.json). */
export interface StrategyConfigEdit {
  strategy: {name: string; className: string; file: string}
  configFile: string
  key: string
  action: 'set' | 'unset'
  value: unknown
  previous: unknown
  /** False when unset found nothing to remove (the file is left as it was). */
  changed: boolean
  fragment: Fragment
}

/**
 * Sets (value given) or removes one dotted key of the strategy's configuration. One engine call
 * edits the fragment and validates it (Freqtrade's schema, offline pairlists, no credentials)
 * before anything is written; then the file is replaced atomically.
 */
export async function editStrategyConfig(target: StrategyConfigTarget, key: string, raw: string | undefined, engine: EnginePort, ctx: CoreContext): Promise<StrategyConfigEdit> {
  const value = raw === undefined ? undefined : parseValue(raw)
  const edit = {key, ...(raw === undefined ? {unset: true} : {value})}
  const bridge = await inStage(
    ctx,
    'config',
    async () =>
      (await engine.run('strategy-config', {...resolveRequest(target), strategyConfigEdit: edit} as RequestOf<'strategy-config'>, ctx)) as {
        strategy: StrategyConfigEdit['strategy']
        configFile: string
        fragment: Fragment
        changed: boolean
        previous: unknown
      },
  )
  if (bridge.changed) await writeFragment(bridge.configFile, bridge.fragment)
  return {
    strategy: bridge.strategy,
    configFile: bridge.configFile,
    key,
    action: raw === undefined ? 'unset' : 'set',
    value: value ?? null,
    previous: bridge.previous === null || bridge.previous === undefined ? null : maskLeaf(key, bridge.previous),
    changed: bridge.changed,
    fragment: bridge.fragment,
  }
}

/** `tradai config strategy validate --json` (docs/schemas/config-strategy-validate.schema.json). */
export interface StrategyConfigValidation {
  valid: boolean
  strategies: Array<{name: string; configFile: string; valid: boolean; warnings: string[]; error: {code: string; message: string} | null}>
}

/** Builds the effective config of each strategy (one, or every one with a configuration); errors are results, not exceptions. */
export async function validateStrategyConfigs(
  target: Omit<StrategyConfigTarget, 'strategy'> & {strategy?: string},
  engine: EnginePort,
  ctx: CoreContext,
): Promise<StrategyConfigValidation> {
  const names = target.strategy ? [target.strategy] : (await listStrategyConfigs(target.strategiesDir, engine, ctx)).strategies.map((entry) => entry.className)
  const strategies: StrategyConfigValidation['strategies'] = []
  for (const name of names) {
    try {
      const bridge = await resolve({...target, strategy: name}, engine, ctx)
      strategies.push({name: bridge.strategy.name, configFile: bridge.configFile, valid: true, warnings: bridge.warnings, error: null})
    } catch (error) {
      if (!(error instanceof ConfigError || (error instanceof TradaiError && error.exitCode === 2)) || target.strategy) throw error
      strategies.push({name, configFile: '', valid: false, warnings: [], error: {code: error.code, message: error.message}})
    }
  }

  return {valid: strategies.every((entry) => entry.valid), strategies}
}

/** `tradai config strategy diff --json` (docs/schemas/config-strategy-diff.schema.json). */
export interface StrategyConfigDiff {
  strategy: string
  version: number
  configFile: string
  registeredConfigFile: string | null
  identical: boolean
  changes: Array<{key: string; change: 'added' | 'removed' | 'changed'; registered: unknown; working: unknown}>
}

/** The working copy's strategy configuration against the one registered with a version (its own artifact, hash-checked). */
export async function diffStrategyConfig(request: {model: string; version: number; strategyFile: string}, port: RegistryPort, ctx: CoreContext): Promise<StrategyConfigDiff> {
  const work = await mkdtemp(path.join(tmpdir(), 'tradai-config-diff-'))
  try {
    const code = await inStage(ctx, 'registry', async () => {
      const state = await readRegistryState(port, request.model, ctx.signal)
      return downloadVersionCode(port, request.model, pickVersion(state, request.version), work, ctx.signal)
    })
    const configFile = strategyConfigFile(request.strategyFile)
    const registered = new Map(code.configFile ? leaves((await readFragment(code.configFile)) ?? {}) : [])
    const working = new Map(leaves((await readFragment(configFile)) ?? {}))
    const changes: StrategyConfigDiff['changes'] = []
    for (const key of [...new Set([...registered.keys(), ...working.keys()])].sort()) {
      const before = registered.get(key)
      const after = working.get(key)
      if (JSON.stringify(before) === JSON.stringify(after)) continue
      changes.push({
        key,
        change: before === undefined ? 'added' : after === undefined ? 'removed' : 'changed',
        registered: before === undefined ? null : maskLeaf(key, before),
        working: after === undefined ? null : maskLeaf(key, after),
      })
    }

    return {
      strategy: request.model,
      version: request.version,
      configFile,
      registeredConfigFile: code.configFile ? path.basename(code.configFile) : null,
      identical: changes.length === 0,
      changes,
    }
  } finally {
    await rm(work, {recursive: true, force: true})
  }
}
