import {checkEvidence, checkRegisteredCode, type CodeCheck, type EvidenceCheck} from '../attestation/evidence.js'
import type {GateKey} from '../attestation/key.js'
import type {TradaiConfig} from '../config/schema.js'
import {ExitCode, NotFoundError, TradaiError} from '../errors.js'
import {inStage, type CoreContext} from '../events.js'
import {aliasDrift, describeDrift} from '../registry/drift.js'
import {withRegistryLock} from '../registry/lock.js'
import type {RegistryPort} from '../ports/registry.js'
import {readRegistryState, type RegistryState} from '../registry/state.js'
import {tagMap, VERSION_TAG} from '../registry/tags.js'
import type {ShadowGateInput} from '../shadow/gate.js'
import {experimentName} from '../tracking/paths.js'
import {applyPlan} from './apply.js'
import {
  defaultVersion,
  planPromotion,
  validatePromotionRequest,
  type PlanStep,
  type VersionEvidence,
  type PromotionPlan,
  type PromotionRequest,
  type ShadowEvidence,
} from './plan.js'

export const PROMOTE_STAGES = [
  {id: 'lock', title: 'Take the registry lock'},
  {id: 'plan', title: 'Plan and check the gates'},
  {id: 'apply', title: 'Apply'},
]

export interface PromoteRequest extends PromotionRequest {
  model: string
  dryRun: boolean
  experiment: Pick<TradaiConfig['tracking'], 'experimentName' | 'experimentPrefix'>
  /** Verifies the attestations; null when this machine has no gate key (nothing verifies). */
  gateKey: GateKey | null
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
  /** Each piece of signed evidence and whether it verified (none for a rollback). */
  evidence: EvidenceCheck[]
  /** The registry's strategy artifacts re-hashed against the attested code hash (null for a rollback). */
  code: CodeCheck | null
}

/** A gate said no: exit 1, with the plan and every refusal in `details`. */
export class GateRefusedError extends TradaiError {
  constructor(plan: PromotionPlan, evidence: VersionEvidence | null = null) {
    const blocking = plan.refusals.filter((refusal) => !plan.overridden.includes(refusal))
    const target = plan.version === null ? plan.model : `${plan.model} v${plan.version}`
    super('GATE_REFUSED', ExitCode.checkFailed, `Refused: ${target} cannot go to ${plan.to}:\n${blocking.map((refusal) => `  [${refusal.gate}] ${refusal.message}`).join('\n')}`, {
      details: {
        refusals: plan.refusals,
        plan: {action: plan.action, version: plan.version, from: plan.from, to: plan.to},
        ...(evidence ? {evidence: evidenceList(evidence), code: evidence.code} : {}),
      },
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
      for (const drift of aliasDrift(state.aliases, state.audit)) ctx.onEvent({type: 'log', level: 'warning', message: describeDrift(request.model, drift)})
      const evidence = await versionEvidence(port, state, request, ctx)
      const shadow = await shadowEvidence(port, state, request, evidence, ctx)
      // `promote --dry-run` lists the shadow report's attestation with the rest.
      if (evidence && shadow) evidence.shadow = shadow.attestation
      const plan = planPromotion(state, request, evidence, shadow)
      if (!plan.allowed) throw new GateRefusedError(plan, evidence)
      return {state, plan, evidence}
    })

  if (request.dryRun) {
    ctx.onEvent({type: 'stage', stage: 'lock', status: 'skip'})
    const {state, plan, evidence} = await decide()
    ctx.onEvent({type: 'stage', stage: 'apply', status: 'skip'})
    return result(plan, evidence, {dryRun: true, applied: false, auditId: null, auditRunId: null, aliases: state.aliases})
  }

  ctx.onEvent({type: 'stage', stage: 'lock', status: 'start'})
  // An unknown strategy is exit 5 with its own message, before any lock is written.
  await readRegistryState(port, request.model, ctx.signal)
  return withRegistryLock(port, request.model, {who: request.who, signal: ctx.signal}, async () => {
    ctx.onEvent({type: 'stage', stage: 'lock', status: 'done'})
    const {state, plan, evidence} = await decide()
    if (plan.noop) {
      ctx.onEvent({type: 'stage', stage: 'apply', status: 'skip'})
      return result(plan, evidence, {dryRun: false, applied: false, auditId: null, auditRunId: null, aliases: state.aliases})
    }

    const outcome = await inStage(ctx, 'apply', async () => applyPlan(port, plan, {experimentName: experimentName(request.experiment, request.model), user: request.who}, ctx))
    return result(plan, evidence, {dryRun: false, applied: true, ...outcome})
  })
}

function result(plan: PromotionPlan, evidence: VersionEvidence | null, outcome: Pick<PromoteResult, 'dryRun' | 'applied' | 'auditId' | 'auditRunId' | 'aliases'>): PromoteResult {
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
    evidence: evidence ? evidenceList(evidence) : [],
    code: evidence?.code ?? null,
  }
}

function evidenceList(evidence: VersionEvidence): EvidenceCheck[] {
  return [evidence.registration, evidence.lint, evidence.challenge, ...(evidence.shadow ? [evidence.shadow] : [])]
}

/**
 * The signed evidence of the version a stage or promote is about, verified with the gate key, and
 * its code downloaded from the registry now and hashed again (null for a rollback).
 */
async function versionEvidence(port: RegistryPort, state: RegistryState, request: PromoteRequest, ctx: CoreContext): Promise<VersionEvidence | null> {
  if (request.action === 'rollback') return null
  const number = defaultVersion(state, request)
  const version = state.versions.find((entry) => entry.version === number)
  // An unknown version: the plan reports it (exit 5).
  if (!version) return null
  const {registration, code} = await checkRegisteredCode(port, request.gateKey, state.model, version, ctx.signal)
  const attestedHash = registration.verified ? version.codeHash : null
  const [lint, challenge] = await Promise.all([
    checkEvidence(port, request.gateKey, 'lint', state.model, version, attestedHash, ctx.signal),
    checkEvidence(port, request.gateKey, 'challenge', state.model, version, attestedHash, ctx.signal),
  ])
  return {registration, code, lint, challenge}
}

/**
 * The shadow report behind the target version's shadow tags (promotions to production only): its
 * run as MLflow holds it, and its signed attestation, whose measured gate numbers are what the
 * gate judges (a run's metrics can be logged by anyone who can write to MLflow).
 */
async function shadowEvidence(
  port: RegistryPort,
  state: RegistryState,
  request: PromoteRequest,
  evidence: VersionEvidence | null,
  ctx: CoreContext,
): Promise<ShadowEvidence | null> {
  if (request.action !== 'promote') return null
  const number = defaultVersion(state, request)
  const version = state.versions.find((entry) => entry.version === number)
  const runId = version?.tags[VERSION_TAG.shadowRunId]
  if (!version || !runId) return null
  const attestedHash = evidence?.registration.verified ? version.codeHash : null
  const attestation = await checkEvidence(port, request.gateKey, 'shadow', state.model, version, attestedHash, ctx.signal)
  const measured = ((attestation.verified ? attestation.policy?.measured : null) ?? {}) as Partial<ShadowGateInput>

  try {
    const run = await port.getRun(runId, ctx.signal)
    const runTags = tagMap(run.data.tags)
    return {
      runId,
      found: run.info.lifecycle_stage !== 'deleted',
      status: runTags[VERSION_TAG.shadowStatus] ?? null,
      codeHash: runTags[VERSION_TAG.codeHash] ?? null,
      model: runTags['tradai.model'] ?? null,
      version: runTags['tradai.model_version'] ?? null,
      measured,
      attestation,
    }
  } catch (error) {
    if (error instanceof NotFoundError) return {runId, found: false, status: null, codeHash: null, model: null, version: null, measured, attestation}
    throw error
  }
}
