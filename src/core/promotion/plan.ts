import type {CodeCheck, EvidenceCheck} from '../attestation/evidence.js'
import {compare, parseCriterion, type Criterion} from '../challenge/criteria.js'
import {UsageError} from '../errors.js'
import {evaluateShadowGate, type ShadowGateInput, type ShadowGatePolicy} from '../shadow/gate.js'
import {productionStack, type AuditEntry} from '../registry/audit.js'
import {pickVersion, type RegistryState, type RegistryVersion} from '../registry/state.js'
import {ALIAS, VERSION_TAG, type LifecycleState} from '../registry/tags.js'

export type PromotionAction = 'stage' | 'promote' | 'rollback'

export interface PromotionRequest {
  action: PromotionAction
  /** Default: stage → the newest version; promote → the staged version; rollback → from the audit history. */
  version?: number
  reason?: string
  /** Override the gates that may be overridden (the shadow-trading gate); needs a reason. */
  force: boolean
  who: string
  /** ISO time of the decision. */
  at: string
  /** The promotion policy (config `gates`): what staged and promoted demand, whatever was asked for. */
  policy?: PromotionPolicy
}

export interface PromotionPolicy {
  /** gates.challenge.criteria, parsed: the latest challenge must have evaluated each (at least as strictly) and passed. */
  challengeCriteria: Criterion[]
  shadow: ShadowGatePolicy
}

/** What the shadow report run behind a version's shadow tags says about itself (read from MLflow). */
export interface ShadowEvidence {
  runId: string
  found: boolean
  status: string | null
  codeHash: string | null
  model: string | null
  version: string | null
  /** The gate numbers the report's attestation signed (empty when it is not verified). */
  measured: Partial<ShadowGateInput>
  /** The report's attestation, verified with the gate key: without it the report is no evidence. */
  attestation: EvidenceCheck
}

/**
 * The signed evidence behind a version, as verified against the gate key, and its code as the
 * registry holds it now (src/core/attestation). Tags alone are never evidence.
 */
export interface VersionEvidence {
  registration: EvidenceCheck
  code: CodeCheck
  lint: EvidenceCheck
  challenge: EvidenceCheck
  /** The shadow report's attestation (promotions to production with a report only). */
  shadow?: EvidenceCheck
}

export interface Refusal {
  gate: 'state' | 'registration' | 'code' | 'lint' | 'challenge' | 'shadow' | 'rollback'
  message: string
  /** Only these yield to --force --reason; lint and challenge gates never do. */
  overridable: boolean
}

export type PlanStep =
  | {kind: 'set-alias'; alias: 'staging' | 'production'; version: number; expected: number | null; description: string}
  | {kind: 'delete-alias'; alias: 'staging' | 'production'; expected: number; description: string}
  | {kind: 'set-version-tags'; version: number; tags: Record<string, string>; description: string}
  | {kind: 'audit'; entry: AuditEntry; description: string}

export interface PromotionPlan {
  model: string
  action: PromotionAction
  version: number | null
  from: LifecycleState | 'unknown' | null
  to: LifecycleState
  /** Gates that said no; `allowed` is false unless every one was overridden. */
  refusals: Refusal[]
  overridden: Refusal[]
  allowed: boolean
  /** Already there: nothing to change. */
  noop: boolean
  steps: PlanStep[]
}

const TARGET: Record<PromotionAction, LifecycleState> = {stage: 'staged', promote: 'promoted', rollback: 'promoted'}

/**
 * Decides a lifecycle transition from the registry as read, changing nothing: which gates refuse,
 * and the exact steps (alias moves with the value each alias must still have, state tags, the
 * audit entry) that `applyPlan` will carry out. Pure, so every gate is unit-tested.
 */
export function planPromotion(
  state: RegistryState,
  request: PromotionRequest,
  evidence: VersionEvidence | null = null,
  shadowEvidence: ShadowEvidence | null = null,
): PromotionPlan {
  validatePromotionRequest(request)
  const to = TARGET[request.action]
  if (request.action === 'rollback') return planRollback(state, request)
  const version = pickVersion(state, defaultVersion(state, request))
  const alias = request.action === 'stage' ? ALIAS.staging : ALIAS.production
  const current = state.aliases[alias]
  const base = {model: state.model, action: request.action, version: version.version, from: version.state, to}
  if (current === version.version && version.state === to) return {...base, refusals: [], overridden: [], allowed: true, noop: true, steps: []}

  const refusals: Refusal[] = [...codeGate(version, evidence), ...lintGate(version, evidence), ...challengeGate(state.model, version, evidence)]
  if (request.action === 'stage' && request.policy && refusals.every((refusal) => refusal.gate !== 'challenge')) {
    refusals.push(...challengePolicyGate(state.model, version, evidence, request.policy.challengeCriteria))
  }

  if (request.action === 'stage' && version.state === 'promoted') {
    refusals.unshift({
      gate: 'state',
      overridable: false,
      message: `v${version.version} is the production version; staging it would demote it (use --rollback to change production).`,
    })
  }

  if (request.action === 'promote') {
    if (state.aliases.staging !== version.version || version.state !== 'staged') {
      refusals.unshift({
        gate: 'state',
        overridable: false,
        message: `v${version.version} is ${version.state}, not staged: promote it to staged first (\`tradai promote ${state.model} --to staged --version ${version.version}\`).`,
      })
    }

    refusals.push(...shadowGate(state.model, version, shadowEvidence, request.policy?.shadow))
  }

  const overridden = request.force ? refusals.filter((refusal) => refusal.overridable) : []
  const allowed = refusals.every((refusal) => overridden.includes(refusal))
  const steps: PlanStep[] = []
  const archived: number[] = []
  if (allowed) {
    const stamp = stateTags(request, version.version, nextAuditId(state))
    steps.push({
      kind: 'set-alias',
      alias,
      version: version.version,
      expected: current,
      description: `move alias ${alias} ${current === null ? '(unset)' : `v${current}`} → v${version.version}`,
    })
    if (request.action === 'promote' && state.aliases.staging === version.version) {
      steps.push({kind: 'delete-alias', alias: ALIAS.staging, expected: version.version, description: `remove alias staging from v${version.version} (it moves on to production)`})
    }

    steps.push({
      kind: 'set-version-tags',
      version: version.version,
      tags: {
        ...stamp,
        [VERSION_TAG.state]: to,
        ...(overridden.length > 0 ? {[VERSION_TAG.forced]: overridden.map((refusal) => refusal.gate).join(','), [VERSION_TAG.forceReason]: request.reason!.trim()} : {}),
      },
      description: `v${version.version}: state ${version.state} → ${to}${overridden.length > 0 ? ` (gates overridden: ${overridden.map((refusal) => refusal.gate).join(', ')})` : ''}`,
    })
    if (current !== null && current !== version.version) {
      const displaced = findVersion(state, current)
      // Production's previous version is archived; a displaced staged version goes back to registered (still challenged).
      const next: LifecycleState = request.action === 'promote' ? 'archived' : 'registered'
      if (next === 'archived') archived.push(current)
      if (displaced && (request.action === 'promote' || displaced.state === 'staged')) {
        steps.push({
          kind: 'set-version-tags',
          version: current,
          tags: {...stamp, [VERSION_TAG.state]: next, [VERSION_TAG.stateReason]: `replaced by v${version.version} in ${alias}`},
          description: `v${current}: state ${displaced.state} → ${next} (replaced in ${alias})`,
        })
      }
    }

    steps.push(auditStep(state, request, version, alias, current, archived, overridden))
  }

  return {...base, refusals, overridden, allowed, noop: false, steps}
}

/** A request that cannot be planned at all (exit 2), checked before anything is read or locked. */
export function validatePromotionRequest(request: PromotionRequest): void {
  if (request.force && !request.reason?.trim()) {
    throw new UsageError('--force needs --reason TEXT: an overridden gate is recorded with who overrode it and why.', {
      suggestions: ['Add --reason "why this version may skip the gate".'],
    })
  }
}

/** The version a stage or promote is about: the one asked for, else promote → the staged one, stage → the newest. */
export function defaultVersion(state: RegistryState, request: Pick<PromotionRequest, 'action' | 'version'>): number | undefined {
  if (request.version !== undefined) return request.version
  return request.action === 'promote' && state.aliases.staging !== null ? state.aliases.staging : state.versions.at(-1)?.version
}

function planRollback(state: RegistryState, request: PromotionRequest): PromotionPlan {
  const current = state.aliases.production
  const stack = productionStack(state.audit)
  const refusal = (message: string): PromotionPlan => ({
    model: state.model,
    action: 'rollback',
    version: null,
    from: null,
    to: 'promoted',
    refusals: [{gate: 'rollback', overridable: false, message}],
    overridden: [],
    allowed: false,
    noop: false,
    steps: [],
  })
  if (current === null) return refusal(`${state.model} has no production version to roll back.`)
  if (stack.at(-1) !== current) {
    return refusal(`production points at v${current}, which tradai's audit history did not put there; the previous production version is unknown.`)
  }

  const target = stack.at(-2)
  if (target === undefined) return refusal(`v${current} is the first production version of ${state.model}; there is nothing to roll back to.`)
  if (request.version !== undefined && request.version !== target) {
    return refusal(`--rollback goes back to the previous production version, v${target}, not v${request.version}.`)
  }

  const version = pickVersion(state, target)
  const stamp = stateTags(request, target, nextAuditId(state))
  const currentVersion = findVersion(state, current)
  return {
    model: state.model,
    action: 'rollback',
    version: target,
    from: version.state,
    to: 'promoted',
    refusals: [],
    overridden: [],
    allowed: true,
    noop: false,
    steps: [
      {kind: 'set-alias', alias: ALIAS.production, version: target, expected: current, description: `move alias production v${current} → v${target} (rollback)`},
      {kind: 'set-version-tags', version: target, tags: {...stamp, [VERSION_TAG.state]: 'promoted'}, description: `v${target}: state ${version.state} → promoted (rollback)`},
      {
        kind: 'set-version-tags',
        version: current,
        tags: {...stamp, [VERSION_TAG.state]: 'archived', [VERSION_TAG.stateReason]: `rolled back to v${target}${request.reason ? `: ${request.reason.trim()}` : ''}`},
        description: `v${current}: state ${currentVersion?.state ?? 'unknown'} → archived (rolled back)`,
      },
      auditStep(state, request, version, ALIAS.production, current, [current], []),
    ],
  }
}

/** The registration must be attested, and the registry's code must still hash to what it attested. */
function codeGate(version: RegistryVersion, evidence: VersionEvidence | null): Refusal[] {
  if (!evidence) return [{gate: 'registration', overridable: false, message: `v${version.version}'s registration was not verified.`}]
  if (!evidence.registration.verified) {
    return [{gate: 'registration', overridable: false, message: `v${version.version} has no verified registration: ${evidence.registration.reason}.`}]
  }

  if (!evidence.code.verified) return [{gate: 'code', overridable: false, message: `v${version.version}: ${evidence.code.reason}.`}]
  return []
}

function lintGate(version: RegistryVersion, evidence: VersionEvidence | null): Refusal[] {
  const lint = evidence?.lint
  if (lint?.verified && lint.status === 'passed') return []
  const why = lint?.verified ? `the signed lint result is "${lint.status}"` : (lint?.reason ?? 'not verified')
  return [{gate: 'lint', overridable: false, message: `v${version.version} has no passing lint evidence (${why}); register it with \`tradai strategy register\`.`}]
}

/**
 * A passing challenge of this exact version and code, signed with the gate key. The status tags
 * only make the message helpful; what decides is the attestation.
 */
function challengeGate(model: string, version: RegistryVersion, evidence: VersionEvidence | null): Refusal[] {
  const refuse = (message: string): Refusal[] => [{gate: 'challenge', overridable: false, message}]
  const hint = `run \`tradai strategy challenge ${model} --version ${version.version}\``
  const challenge = evidence?.challenge
  const status = version.tags[VERSION_TAG.challengeStatus]
  if (!status && !challenge?.ref) return refuse(`v${version.version} has not been challenged: ${hint}.`)
  if (!challenge?.verified) return refuse(`v${version.version}'s challenge is no evidence: ${challenge?.reason ?? 'not verified'}: ${hint}.`)
  if (challenge.status !== 'passed') {
    return refuse(
      `v${version.version}'s challenge ${challenge.status === 'failed' ? 'failed' : `is "${challenge.status}"`} (run ${challenge.runId}): fix the strategy, register and challenge the new version.`,
    )
  }

  return []
}

/**
 * The policy's challenge criteria (gates.challenge.criteria): the version's latest challenge
 * must have evaluated each one in-sample, at least as strictly, and passed. A challenge run with
 * weaker criteria passed on the command line does not count.
 */
function challengePolicyGate(model: string, version: RegistryVersion, evidence: VersionEvidence | null, policy: Criterion[]): Refusal[] {
  // What the challenge evaluated is read from its signed attestation ("expression [window]"), never
  // from run params anyone can write; a passing challenge passed every criterion it evaluated.
  const challenge = evidence?.challenge
  const signed = Array.isArray(challenge?.policy?.criteria) ? (challenge.policy.criteria as unknown[]) : []
  const evaluated = signed.flatMap((entry) => {
    const parts = typeof entry === 'string' ? /^(.*) \[([\w-]+)\]$/.exec(entry) : null
    // wf* criteria are only ever judged on the challenge's walk-forward.
    if (!parts || (parts[2] !== 'in-sample' && parts[2] !== 'walk-forward')) return []
    try {
      return [{parsed: parseCriterion(parts[1]!, 'the challenge run'), passed: challenge?.verified === true && challenge.status === 'passed'}]
    } catch {
      return [] // Monte Carlo and other non-metric entries
    }
  })
  const missing = policy.filter((required) => !evaluated.some((entry) => entry.passed && covers(entry.parsed, required)))
  if (missing.length === 0) return []
  return [
    {
      gate: 'challenge',
      overridable: false,
      message: `v${version.version}'s latest challenge (run ${challenge?.runId ?? '?'}) did not evaluate the policy criterion ${missing.map((criterion) => `"${criterion.expression}"`).join(', ')} (gates.challenge.criteria): challenge it with them, e.g. \`tradai strategy challenge ${model} --version ${version.version} ${missing.map((criterion) => `--criterion "${criterion.expression}"`).join(' ')}\`.`,
    },
  ]
}

/** Whether passing `evaluated` implies passing `required` (same metric, same direction, at least as strict). */
export function covers(evaluated: Criterion, required: Criterion): boolean {
  if (required.kind === 'named' || evaluated.kind === 'named') return evaluated.kind === 'named' && required.kind === 'named' && evaluated.check === required.check
  if (evaluated.metric !== required.metric) return false
  const [e, r] = [evaluated, required]
  if (r.op === '==' || r.op === '!=') return e.op === r.op && e.value === r.value
  const upward = (op: string) => op === '>' || op === '>='
  if (upward(e.op) !== upward(r.op) || e.op === '==' || e.op === '!=') return false
  // Every value e accepts, r accepts: check e's boundary against r.
  if (e.op === r.op || (e.op === '>' && r.op === '>=') || (e.op === '<' && r.op === '<=')) return upward(r.op) ? e.value >= r.value : e.value <= r.value
  // e inclusive, r strict: e's boundary itself must pass r.
  return compare(e.value, r.op, r.value)
}

/**
 * A completed shadow report of this exact code that meets gates.shadow: the version's shadow
 * tags, the report run in MLflow saying the same, and its recorded gate numbers judged again
 * against the policy of the day. Overridable with --force --reason (recorded in the audit).
 */
function shadowGate(model: string, version: RegistryVersion, evidence: ShadowEvidence | null, policy: ShadowGatePolicy | undefined): Refusal[] {
  const refuse = (message: string): Refusal[] => [{gate: 'shadow', overridable: true, message}]
  const hint = `shadow-trade it: \`tradai shadow start ${model} --version ${version.version} --replay --timerange YYYYMMDD-YYYYMMDD --foreground\`, then \`tradai shadow report SESSION\``
  const status = version.tags[VERSION_TAG.shadowStatus]
  const runId = version.tags[VERSION_TAG.shadowRunId]
  if (!status || !runId) return refuse(`v${version.version} has no shadow-trading report: ${hint}.`)
  if (!version.codeHash || version.tags[VERSION_TAG.shadowCodeHash] !== version.codeHash) {
    return refuse(
      `v${version.version}'s shadow report was for other code (hash ${short(version.tags[VERSION_TAG.shadowCodeHash])}, the version is ${short(version.codeHash)}): ${hint}.`,
    )
  }

  if (!evidence || evidence.runId !== runId || !evidence.found) return refuse(`v${version.version}'s shadow report run ${runId} cannot be found in MLflow: ${hint}.`)
  if (evidence.codeHash !== version.codeHash || evidence.model !== model || evidence.version !== String(version.version)) {
    return refuse(`v${version.version}'s shadow report run ${runId} is not a report of this version and code: ${hint}.`)
  }

  if (!evidence.attestation.verified)
    return refuse(
      `v${version.version}'s shadow report (run ${runId}) is no evidence: ${evidence.attestation.reason}. Report the session again (\`tradai shadow report SESSION\`) with the gate key.`,
    )

  const m = evidence.measured
  const gate = policy
    ? evaluateShadowGate(policy, {
        completed: m.completed === true,
        days: m.days ?? 0,
        trades: m.trades ?? 0,
        matchRate: m.matchRate ?? 0,
        profitDrift: m.profitDrift ?? Number.POSITIVE_INFINITY,
        maxDrawdown: m.maxDrawdown ?? 1,
      })
    : null
  const failing = gate?.checks.filter((check) => !check.passed) ?? []
  if (status !== 'passed' || evidence.status !== 'passed' || failing.length > 0) {
    const why =
      failing.length > 0 ? failing.map((check) => `${check.check} (${fmt(check.actual)} vs ${fmt(check.threshold)})`).join(', ') : `the report says "${evidence.status ?? status}"`
    return refuse(`v${version.version}'s shadow report (run ${runId}) does not meet gates.shadow: ${why}.`)
  }

  return []
}

function short(hash: string | null | undefined): string {
  return hash ? hash.slice(0, 12) : 'none'
}

function fmt(value: number | string): string {
  return typeof value === 'number' ? String(Number(value.toFixed(4))) : value
}

function auditStep(
  state: RegistryState,
  request: PromotionRequest,
  version: RegistryVersion,
  alias: 'staging' | 'production',
  aliasBefore: number | null,
  archived: number[],
  overridden: Refusal[],
): PlanStep {
  const entry: AuditEntry = {
    id: nextAuditId(state),
    at: request.at,
    who: request.who,
    action: request.action,
    model: state.model,
    version: version.version,
    from: version.state,
    to: TARGET[request.action],
    alias,
    aliasBefore,
    archived,
    reason: request.reason?.trim() || null,
    forced: overridden.length > 0,
    overriddenGates: overridden.map((refusal) => refusal.gate),
    codeHash: version.codeHash,
    evidence: {
      lintRunId: version.tags[VERSION_TAG.lintRunId] ?? null,
      challengeRunId: version.tags[VERSION_TAG.challengeRunId] ?? null,
      shadowRunId: version.tags[VERSION_TAG.shadowRunId] ?? null,
    },
  }
  return {
    kind: 'audit',
    entry,
    description: `audit #${entry.id}: ${entry.who} ${entry.action} v${entry.version} ${entry.from} → ${entry.to}${entry.reason ? ` ("${entry.reason}")` : ''}`,
  }
}

function stateTags(request: PromotionRequest, version: number, auditId: number): Record<string, string> {
  return {
    [VERSION_TAG.stateChangedAt]: request.at,
    [VERSION_TAG.stateChangedBy]: request.who,
    [VERSION_TAG.stateAuditId]: String(auditId),
    [VERSION_TAG.stateReason]: request.reason?.trim() || `${request.action} v${version}`,
  }
}

function nextAuditId(state: RegistryState): number {
  return (state.audit.at(-1)?.id ?? 0) + 1
}

function findVersion(state: RegistryState, version: number): RegistryVersion | undefined {
  return state.versions.find((entry) => entry.version === version)
}
