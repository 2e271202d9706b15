import {mkdir, writeFile} from 'node:fs/promises'
import path from 'node:path'

import {TrackingError} from '../errors.js'
import {codeHash} from './code-hash.js'
import type {RegistryPort} from '../ports/registry.js'
import type {RegistryVersion} from './state.js'
import {VERSION_TAG} from './tags.js'

export interface VersionCode {
  dir: string
  strategyClass: string
  strategyFile: string
  paramsFile: string | null
  /** The strategy's configuration registered with it, beside the strategy file: a run from `dir` picks it up. */
  configFile: string | null
  codeHash: string
}

export interface FetchedCode {
  strategyClass: string
  strategy: {name: string; bytes: Buffer}
  params: {name: string; bytes: Buffer} | null
  /** The strategy configuration registered with the code (`<stem>.config.json`), if any. */
  config: {name: string; bytes: Buffer} | null
  /** The hash of the bytes just downloaded (not the tag): code, params and configuration. */
  codeHash: string
}

/** A registered version's strategy, params and configuration files as the registry holds them now, hashed again. */
export async function fetchVersionCode(port: RegistryPort, model: string, version: RegistryVersion, signal?: AbortSignal): Promise<FetchedCode> {
  const strategyName = version.tags[VERSION_TAG.strategyFile]
  const strategyClass = version.tags[VERSION_TAG.strategyClass]
  if (!version.runId || !version.source || !strategyName || !strategyClass) {
    throw new TrackingError(`${model} v${version.version} was not registered by tradai (no run, source or strategy tags); it cannot be downloaded.`, {
      code: 'REGISTRY_FOREIGN_VERSION',
      suggestions: [`Register the strategy with \`tradai strategy register ${model}\`.`],
    })
  }

  const run = await port.getRun(version.runId, signal)
  const root = run.info.artifact_uri ?? ''
  const folder = version.source.startsWith(`${root}/`) ? version.source.slice(root.length + 1) : 'strategy'
  const paramsName = version.tags[VERSION_TAG.paramsFile] || null
  const configName = version.tags[VERSION_TAG.configFile] || null
  const fetch = async (name: string) => ({name, bytes: await port.downloadArtifact(run.info, `${folder}/${name}`, signal)})
  const strategy = await fetch(strategyName)
  const params = paramsName ? await fetch(paramsName) : null
  const config = configName ? await fetch(configName) : null
  return {strategyClass, strategy, params, config, codeHash: codeHash(strategy.bytes, params?.bytes ?? null, config?.bytes ?? null)}
}

/**
 * Downloads a registered version's own code (its `source` folder in the registration run's
 * artifacts) into `dir`, and checks it hashes to the version's code hash: what is challenged or
 * deployed is exactly what was registered, never the working copy.
 */
export async function downloadVersionCode(port: RegistryPort, model: string, version: RegistryVersion, dir: string, signal?: AbortSignal): Promise<VersionCode> {
  const code = await fetchVersionCode(port, model, version, signal)
  const hash = code.codeHash
  if (hash !== version.codeHash) {
    throw new TrackingError(
      `${model} v${version.version}'s code in the registry hashes to ${hash.slice(0, 12)}, not its recorded code hash ${String(version.codeHash).slice(0, 12)}: the artifacts were changed after registration.`,
      {code: 'REGISTRY_CODE_MISMATCH', suggestions: ['Register the strategy again and challenge the new version.']},
    )
  }

  await mkdir(dir, {recursive: true})
  const write = async (file: {name: string; bytes: Buffer}) => {
    const target = path.join(dir, file.name)
    await writeFile(target, file.bytes)
    return target
  }

  const strategyFile = await write(code.strategy)
  const paramsFile = code.params ? await write(code.params) : null
  const configFile = code.config ? await write(code.config) : null
  return {dir, strategyClass: code.strategyClass, strategyFile, paramsFile, configFile, codeHash: hash}
}
