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

/**
 * Downloads a registered version's own code (its `source` folder in the registration run's
 * artifacts) into `dir`, and checks it hashes to the version's code hash: what is challenged or
 * deployed is exactly what was registered, never the working copy.
 */
export async function downloadVersionCode(port: RegistryPort, model: string, version: RegistryVersion, dir: string, signal?: AbortSignal): Promise<VersionCode> {
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
  await mkdir(dir, {recursive: true})
  const paramsName = version.tags[VERSION_TAG.paramsFile] || null
  const fetch = async (name: string) => {
    const bytes = await port.downloadArtifact(run.info, `${folder}/${name}`, signal)
    const file = path.join(dir, name)
    await writeFile(file, bytes)
    return {file, bytes}
  }

  const strategy = await fetch(strategyName)
  const params = paramsName ? await fetch(paramsName) : null
  const configName = version.tags[VERSION_TAG.configFile] || null
  const config = configName ? await fetch(configName) : null
  const hash = codeHash(strategy.bytes, params?.bytes ?? null, config?.bytes ?? null)
  if (hash !== version.codeHash) {
    throw new TrackingError(
      `${model} v${version.version}'s code in the registry hashes to ${hash.slice(0, 12)}, not its recorded code hash ${String(version.codeHash).slice(0, 12)}: the artifacts were changed after registration.`,
      {code: 'REGISTRY_CODE_MISMATCH', suggestions: ['Register the strategy again and challenge the new version.']},
    )
  }

  return {dir, strategyClass, strategyFile: strategy.file, paramsFile: params?.file ?? null, configFile: config?.file ?? null, codeHash: hash}
}
