import type {TradaiConfig} from '../config/schema.js'
import {ExitCode, NotFoundError, TradaiError} from '../errors.js'
import {inStage, type CoreContext} from '../events.js'
import {withRegistryLock} from '../registry/lock.js'
import type {RegistryPort} from '../ports/registry.js'
import {readRegistryState, type RegistryState} from '../registry/state.js'
import {tagMap, VERSION_TAG} from '../registry/tags.js'
import {experimentName} from '../tracking/paths.js'
import {applyPlan} from './apply.js'
import {defaultVersion, planPromotion, validatePromotionRequest, type ChallengeEvidence, type PlanStep, type PromotionPlan, type PromotionRequest} from './plan.js'

export const PROMOTE_STAGES = [
  {id: 'lock', title: 'Take the registry lock'},
  {id: 'plan', title: 'Plan and check the gates'},
  {id: 'apply', title: 'Apply'},
]

export interface PromoteRequest extends PromotionRequest {
  model: string
  dryRun: boolean
  experiment: Pick<TradaiConfig['tracking'], 'experimentName' | 'experimentPrefix'>
}

/** The `--json` document of `tradai promote` (docs/schemas/promote.schema.json). */
export interface PromoteResult {
  model: {name: string}
  action: PromotionRequest['action']
  version: number | null
  from: string | null
  to: string
  dryRun: boolean
  applied: boolean
  noop: boolean
  overriddenGates: string[]
  steps: Array<Omit<PlanStep, 'entry'>>
  auditId: number | null
  auditRunId: string | null
  aliases: {staging: number | null; production: number | null}
}

/** A gate said no: exit 1, with the plan and every refusal in `details`. */
export class GateRefusedError extends TradaiError {
  constructor(plan: PromotionPlan) {
    const blocking = plan.refusals.filter((refusal) => !plan.overridden.includes(refusal))
    const target = plan.version === null ? plan.model : `${plan.model} v${plan.version}`
    super('GATE_REFUSED', ExitCode.checkFailed, `Refused: ${target} cannot go to ${plan.to}:\n${blocking.map((refusal) => `  [${refusal.gate}] ${refusal.message}`).join('\n')}`, {
      details: {refusals: plan.refusals, plan: {action: plan.action, version: plan.version, from: plan.from, to: plan.to}},
      suggestions: blocking.every((refusal) => refusal.overridable) ? ['Only an overridable gate refused: --force --reason TEXT overrides it, and the override is recorded.'] : [],
    })
  }
}

/**
 * Plans a lifecycle transition and, unless it is a dry run, applies it under the model's
 * registry lock (the plan is made after the lock is taken, from a fresh read).
 */
export async function promoteStrategy(request: PromoteRequest, port: RegistryPort, ctx: CoreContext): Promise<PromoteResult> {
  validatePromotionRequest(request)
  const decide = async () =>
    inStage(ctx, 'plan', async () => {
      const state = await readRegistryState(port, request.model, ctx.signal)
      const plan = planPromotion(state, request, await challengeEvidence(port, state, request, ctx))
      if (!plan.allowed) throw new GateRefusedError(plan)
      return {state, plan}
    })

  if (request.dryRun) {
    ctx.onEvent({type: 'stage', stage: 'lock', status: 'skip'})
    const {state, plan} = await decide()
    ctx.onEvent({type: 'stage', stage: 'apply', status: 'skip'})
    return result(plan, {dryRun: true, applied: false, auditId: null, auditRunId: null, aliases: state.aliases})
  }

  ctx.onEvent({type: 'stage', stage: 'lock', status: 'start'})
  // An unknown strategy is exit 5 with its own message, before any lock is written.
  await readRegistryState(port, request.model, ctx.signal)
  return withRegistryLock(port, request.model, {who: request.who, signal: ctx.signal}, async () => {
    ctx.onEvent({type: 'stage', stage: 'lock', status: 'done'})
    const {state, plan} = await decide()
    if (plan.noop) {
      ctx.onEvent({type: 'stage', stage: 'apply', status: 'skip'})
      return result(plan, {dryRun: false, applied: false, auditId: null, auditRunId: null, aliases: state.aliases})
    }

    const outcome = await inStage(ctx, 'apply', async () =>
      applyPlan(port, plan, {experimentName: experimentName(request.experiment, request.model), user: request.who}, ctx),
    )
    return result(plan, {dryRun: false, applied: true, ...outcome})
  })
}

function result(plan: PromotionPlan, outcome: Pick<PromoteResult, 'dryRun' | 'applied' | 'auditId' | 'auditRunId' | 'aliases'>): PromoteResult {
  return {
    model: {name: plan.model},
    action: plan.action,
    version: plan.version,
    from: plan.from,
    to: plan.to,
    noop: plan.noop,
    overriddenGates: plan.overridden.map((refusal) => refusal.gate),
    // The audit entry's JSON stays in the audit log; the step says what it records.
    steps: plan.steps.map((step) => (step.kind === 'audit' ? {kind: step.kind, description: step.description} : step)) as PromoteResult['steps'],
    ...outcome,
  }
}

/** The challenge run named by the target version's tags, as MLflow holds it (null when there is none to read). */
async function challengeEvidence(port: RegistryPort, state: RegistryState, request: PromotionRequest, ctx: CoreContext): Promise<ChallengeEvidence | null> {
  if (request.action === 'rollback') return null
  const version = defaultVersion(state, request)
  const tags = state.versions.find((entry) => entry.version === version)?.tags
  const runId = tags?.[VERSION_TAG.challengeRunId]
  if (!runId) return null
  try {
    const run = await port.getRun(runId, ctx.signal)
    const runTags = tagMap(run.data.tags)
    return {
      runId,
      found: run.info.lifecycle_stage !== 'deleted',
      status: runTags[VERSION_TAG.challengeStatus] ?? null,
      codeHash: runTags[VERSION_TAG.codeHash] ?? null,
      model: runTags['tradai.model'] ?? null,
      version: runTags['tradai.model_version'] ?? null,
    }
  } catch (error) {
    if (error instanceof NotFoundError) return {runId, found: false, status: null, codeHash: null, model: null, version: null}
    throw error
  }
}
