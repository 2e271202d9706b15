import type {AuditEntry} from './audit.js'
import {parseAudit} from './audit.js'

type Aliases = {staging: number | null; production: number | null}

/** An alias that points somewhere tradai's audit log did not put it (moved by hand in MLflow). */
export interface AliasDrift {
  alias: 'staging' | 'production'
  /** Where it points now (null: unset). */
  actual: number | null
  /** Where the audit log says it should point (null: unset). */
  expected: number | null
}

/**
 * Where the aliases should point according to the audit log, replaying each transition the way
 * the plan applied it. Null when the log is empty: nothing to compare with.
 */
export function expectedAliases(audit: AuditEntry[]): Aliases | null {
  if (audit.length === 0) return null
  const aliases: Aliases = {staging: null, production: null}
  for (const entry of audit) {
    if (entry.action === 'stage') aliases.staging = entry.version
    else {
      aliases.production = entry.version
      if (entry.action === 'promote' && aliases.staging === entry.version) aliases.staging = null
    }
  }

  return aliases
}

export function aliasDrift(aliases: Aliases, audit: AuditEntry[]): AliasDrift[] {
  const expected = expectedAliases(audit)
  if (!expected) return []
  return (['staging', 'production'] as const).filter((alias) => aliases[alias] !== expected[alias]).map((alias) => ({alias, actual: aliases[alias], expected: expected[alias]}))
}

/** The same check from a registered model's raw tags and alias list (model show). */
export function aliasDriftOf(model: {aliases?: Array<{alias: string; version: string}>; tags?: Array<{key: string; value?: string}>}): AliasDrift[] {
  const map = new Map((model.aliases ?? []).map((entry) => [entry.alias, Number(entry.version)]))
  const tags = Object.fromEntries((model.tags ?? []).map((tag) => [tag.key, tag.value ?? '']))
  return aliasDrift({staging: map.get('staging') ?? null, production: map.get('production') ?? null}, parseAudit(tags))
}

export function describeDrift(model: string, drift: AliasDrift): string {
  const show = (version: number | null) => (version === null ? 'unset' : `v${version}`)
  return `${model}: alias ${drift.alias} points at ${show(drift.actual)}, but tradai's audit log says ${show(drift.expected)} (moved by hand?); \`tradai promote ${model} --repair\` restores it.`
}
