import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'

import type {CoreContext} from '../events.js'
import {deliverRun} from '../tracking/deliver.js'
import type {RegistryPort} from '../ports/registry.js'
import {MODEL_TAG, RUN_KIND, type LifecycleState} from './tags.js'

/** One lifecycle transition: who moved which version where, why, and on what evidence. */
export interface AuditEntry {
  id: number
  at: string
  who: string
  action: 'stage' | 'promote' | 'rollback'
  model: string
  version: number
  from: LifecycleState | 'unknown'
  to: LifecycleState
  alias: 'staging' | 'production'
  /** The version the alias pointed at before (null: unset). */
  aliasBefore: number | null
  /** Versions this transition archived (the production it replaced). */
  archived: number[]
  reason: string | null
  forced: boolean
  /** Gates that refused and were overridden with --force. */
  overriddenGates: string[]
  codeHash: string | null
  evidence: {lintRunId: string | null; challengeRunId: string | null; shadowRunId: string | null}
}

const ID_WIDTH = 6

export function auditTagKey(id: number): string {
  return `${MODEL_TAG.auditPrefix}${String(id).padStart(ID_WIDTH, '0')}`
}

/** The audit entries held in a registered model's tags, oldest first; unreadable ones are skipped. */
export function parseAudit(tags: Record<string, string>): AuditEntry[] {
  const entries: AuditEntry[] = []
  for (const [key, value] of Object.entries(tags)) {
    if (!key.startsWith(MODEL_TAG.auditPrefix)) continue
    try {
      const entry = JSON.parse(value) as AuditEntry
      if (typeof entry.id === 'number' && typeof entry.version === 'number') entries.push(entry)
    } catch {
      // Not ours or damaged: the artifact log still holds it.
    }
  }

  return entries.sort((a, b) => a.id - b.id)
}

/**
 * Production's history as a stack (bottom = oldest): a promotion pushes its version, a rollback
 * pops. The rollback target is the entry under the top, when the top is what production points
 * at now. A production set before tradai's first audited promotion is taken from `aliasBefore`.
 */
export function productionStack(entries: AuditEntry[]): number[] {
  const stack: number[] = []
  for (const entry of entries) {
    if (entry.alias !== 'production') continue
    if (stack.length === 0 && entry.aliasBefore !== null && entry.aliasBefore !== entry.version) stack.push(entry.aliasBefore)
    if (entry.action === 'rollback') {
      stack.pop()
      if (stack.at(-1) !== entry.version) stack.push(entry.version)
    } else if (stack.at(-1) !== entry.version) stack.push(entry.version)
  }

  return stack
}

export interface AuditSink {
  experimentName: string
  user: string
}

/**
 * Appends one entry to the model's audit log, in two places: a registered-model tag per entry
 * (`tradai.audit.000042`, read back by show and rollback) and a JSON artifact per entry in the
 * model's audit run (one run per model, found by its client run id; files are only ever added).
 * Returns the audit run's id.
 */
export async function appendAudit(port: RegistryPort, sink: AuditSink, entry: AuditEntry, ctx: CoreContext): Promise<string> {
  const text = `${JSON.stringify(entry, null, 2)}\n`
  await port.setRegisteredModelTag(entry.model, auditTagKey(entry.id), JSON.stringify(entry), ctx.signal)
  const dir = await mkdtemp(path.join(tmpdir(), 'tradai-audit-'))
  try {
    const file = path.join(dir, `${String(entry.id).padStart(ID_WIDTH, '0')}-${entry.action}-v${entry.version}.json`)
    await writeFile(file, text)
    const now = Date.parse(entry.at)
    const {runId} = await deliverRun(
      port,
      {
        format: 1,
        clientRunId: `audit:${entry.model}`,
        experimentName: sink.experimentName,
        runName: `audit ${entry.model}`,
        user: sink.user,
        startTime: now,
        endTime: now,
        params: [],
        metrics: [],
        tags: [
          {key: 'tradai.kind', value: RUN_KIND.audit},
          {key: 'tradai.model', value: entry.model},
          {key: 'mlflow.runName', value: `audit ${entry.model}`},
          {key: 'mlflow.note.content', value: `Lifecycle audit log of ${entry.model}: one JSON file per transition under audit/.`},
        ],
        artifacts: [{path: `audit/${path.basename(file)}`, file}],
      },
      {artifacts: []},
      {save: async () => {}, stage: 'audit'},
      ctx,
    )
    return runId
  } finally {
    await rm(dir, {recursive: true, force: true})
  }
}
