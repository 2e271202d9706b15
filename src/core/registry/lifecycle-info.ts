import {NotFoundError, TradaiError} from '../errors.js'
import type {AuditEntry} from './audit.js'
import type {RegistryPort} from '../ports/registry.js'
import {modelName, readRegistryState} from './state.js'
import {VERSION_TAG} from './tags.js'

export interface LifecycleVersion {
  version: number
  state: string
  aliases: string[]
  codeHash: string | null
  createdAt: string | null
  registeredBy: string | null
  gitCommit: string | null
  metadataVersion: string | null
  challenge: {status: string; runId: string | null; at: string | null} | null
}

/** The registry section of `tradai strategy show`: versions and lifecycle history, or why there are none. */
export interface StrategyLifecycle {
  status: 'ok' | 'not-registered' | 'unreachable' | 'error'
  model: string
  aliases: {staging: number | null; production: number | null}
  versions: LifecycleVersion[]
  history: AuditEntry[]
  /** Why there is nothing to show (unreachable server, error). */
  reason: string | null
}

/**
 * A strategy's registry versions and audit history. Never throws for a registry problem: `show`
 * works offline, so an unreachable server or an unregistered strategy is a status, not a failure.
 */
export async function strategyLifecycle(port: RegistryPort, strategy: string, signal?: AbortSignal): Promise<StrategyLifecycle> {
  const model = modelName(strategy)
  const empty = (status: StrategyLifecycle['status'], reason: string | null): StrategyLifecycle => ({
    status,
    model,
    aliases: {staging: null, production: null},
    versions: [],
    history: [],
    reason,
  })
  try {
    const state = await readRegistryState(port, model, signal)
    return {
      status: 'ok',
      model,
      aliases: state.aliases,
      versions: state.versions.map((version) => ({
        version: version.version,
        state: version.state,
        aliases: version.aliases,
        codeHash: version.codeHash,
        createdAt: version.createdAt,
        registeredBy: version.tags[VERSION_TAG.registeredBy] ?? null,
        gitCommit: version.tags[VERSION_TAG.gitCommit] ?? null,
        metadataVersion: version.tags[VERSION_TAG.metadataVersion] ?? null,
        challenge: version.tags[VERSION_TAG.challengeStatus]
          ? {status: version.tags[VERSION_TAG.challengeStatus]!, runId: version.tags[VERSION_TAG.challengeRunId] ?? null, at: version.tags[VERSION_TAG.challengeAt] ?? null}
          : null,
      })),
      history: state.audit,
      reason: null,
    }
  } catch (error) {
    if (signal?.aborted) throw error
    if (error instanceof NotFoundError) return empty('not-registered', null)
    if (error instanceof TradaiError) return empty(error.code === 'TRACKING_UNREACHABLE' ? 'unreachable' : 'error', error.message)
    throw error
  }
}
