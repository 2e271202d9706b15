import type {ModelVersion} from '../ports/registry.js'
import {NotFoundError} from '../errors.js'
import {parseAudit, type AuditEntry} from './audit.js'
import {parseLock, type LockInfo} from './lock.js'
import type {RegistryPort} from '../ports/registry.js'
import {ALIAS, MODEL_TAG, STATES, tagMap, VERSION_TAG, type LifecycleState} from './tags.js'

/** One model version as the lifecycle sees it. */
export interface RegistryVersion {
  version: number
  state: LifecycleState | 'unknown'
  codeHash: string | null
  runId: string | null
  source: string | null
  createdAt: string | null
  aliases: string[]
  tags: Record<string, string>
}

/** Everything a lifecycle decision reads, from two requests: the model (aliases, tags) and its versions. */
export interface RegistryState {
  model: string
  aliases: {staging: number | null; production: number | null}
  /** Ascending by version number. */
  versions: RegistryVersion[]
  /** Ascending by id. */
  audit: AuditEntry[]
  lock: LockInfo | null
}

/** The registered model's name for a strategy: one model per strategy, named after it. */
export function modelName(strategy: string): string {
  return strategy
}

export async function readRegistryState(port: RegistryPort, model: string, signal?: AbortSignal): Promise<RegistryState> {
  let registered
  try {
    registered = await port.getRegisteredModel(model, signal)
  } catch (error) {
    if (error instanceof NotFoundError) throw unknownStrategy(model)
    throw error
  }

  const versions = await port.searchModelVersions(`name='${model.replace(/'/g, "\\'")}'`, signal)
  const aliases = new Map((registered.aliases ?? []).map((entry) => [entry.alias, Number(entry.version)]))
  const tags = tagMap(registered.tags)
  return {
    model,
    aliases: {staging: aliases.get(ALIAS.staging) ?? null, production: aliases.get(ALIAS.production) ?? null},
    versions: versions
      .map((version) =>
        toRegistryVersion(
          version,
          [...aliases].filter(([, number]) => number === Number(version.version)).map(([alias]) => alias),
        ),
      )
      .sort((a, b) => a.version - b.version),
    audit: parseAudit(tags),
    lock: parseLock(tags[MODEL_TAG.lock]),
  }
}

export function toRegistryVersion(version: ModelVersion, aliases: string[]): RegistryVersion {
  const tags = tagMap(version.tags)
  const state = tags[VERSION_TAG.state]
  return {
    version: Number(version.version),
    state: (STATES as readonly string[]).includes(state ?? '') ? (state as LifecycleState) : 'unknown',
    codeHash: tags[VERSION_TAG.codeHash] || null,
    runId: version.run_id || null,
    source: version.source || null,
    createdAt: version.creation_timestamp ? new Date(version.creation_timestamp).toISOString() : null,
    aliases,
    tags,
  }
}

/** The version asked for, or the newest one; an unknown number is exit 5 with the versions that exist. */
export function pickVersion(state: RegistryState, version?: number): RegistryVersion {
  if (state.versions.length === 0) throw unknownStrategy(state.model)
  if (version === undefined) return state.versions.at(-1)!
  const found = state.versions.find((entry) => entry.version === version)
  if (!found) {
    throw new NotFoundError(`Strategy ${state.model} has no registered version ${version}.`, {
      code: 'VERSION_NOT_FOUND',
      details: {available: state.versions.map((entry) => `v${entry.version} (${entry.state})`)},
      suggestions: [`Run \`tradai strategy show ${state.model}\` to list its versions.`],
    })
  }

  return found
}

export function unknownStrategy(model: string): NotFoundError {
  return new NotFoundError(`Strategy ${model} is not registered.`, {
    code: 'STRATEGY_NOT_REGISTERED',
    suggestions: [`Register it first: \`tradai strategy register ${model}\`.`],
  })
}
