import {TrackingError} from '../errors.js'
import type {CoreContext} from '../events.js'
import {appendAudit, type AuditSink} from '../registry/audit.js'
import type {RegistryPort} from '../ports/registry.js'
import type {PromotionPlan} from './plan.js'

export interface ApplyOutcome {
  auditId: number | null
  auditRunId: string | null
  aliases: {staging: number | null; production: number | null}
}

/**
 * Carries out an allowed plan: checks every alias still has the value the plan was made from,
 * moves the aliases, reads them back, then sets the state tags and appends the audit entry.
 * Aliases go first because they are what deployments read; a conflict with another writer stops
 * before any tag changes, or (after the move) says exactly what the registry now holds.
 */
export async function applyPlan(port: RegistryPort, plan: PromotionPlan, sink: AuditSink, ctx: CoreContext): Promise<ApplyOutcome> {
  const aliasesNow = async () => {
    const model = await port.getRegisteredModel(plan.model, ctx.signal)
    const map = new Map((model.aliases ?? []).map((entry) => [entry.alias, Number(entry.version)]))
    return {staging: map.get('staging') ?? null, production: map.get('production') ?? null}
  }

  const before = await aliasesNow()
  const expected = {...before}
  for (const step of plan.steps) {
    if (step.kind !== 'set-alias' && step.kind !== 'delete-alias') continue
    if (before[step.alias] !== step.expected)
      throw conflict(plan, `alias ${step.alias} is now ${show(before[step.alias])}, the plan was made with ${show(step.expected)}; nothing was changed`)
    expected[step.alias] = step.kind === 'set-alias' ? step.version : null
  }

  for (const step of plan.steps) {
    if (step.kind === 'set-alias') await port.setModelAlias(plan.model, step.alias, String(step.version), ctx.signal)
    if (step.kind === 'delete-alias') await port.deleteModelAlias(plan.model, step.alias, ctx.signal)
  }

  const after = await aliasesNow()
  for (const alias of ['staging', 'production'] as const) {
    if (after[alias] !== expected[alias]) {
      throw conflict(
        plan,
        `after the move alias ${alias} is ${show(after[alias])}, not ${show(expected[alias])}: another writer changed it at the same time; no state tags or audit entry were written`,
      )
    }
  }

  let auditId: number | null = null
  let auditRunId: string | null = null
  for (const step of plan.steps) {
    if (step.kind === 'set-version-tags') {
      for (const [key, value] of Object.entries(step.tags)) await port.setModelVersionTag(plan.model, String(step.version), key, value, ctx.signal)
    }

    if (step.kind === 'audit') {
      auditId = step.entry.id
      auditRunId = await appendAudit(port, sink, step.entry, ctx)
    }
  }

  return {auditId, auditRunId, aliases: after}
}

function conflict(plan: PromotionPlan, what: string): TrackingError {
  return new TrackingError(`Registry conflict on ${plan.model}: ${what}.`, {
    code: 'REGISTRY_CONFLICT',
    suggestions: [`Check \`tradai strategy show ${plan.model}\`, then run the promotion again.`],
  })
}

function show(version: number | null): string {
  return version === null ? 'unset' : `v${version}`
}
