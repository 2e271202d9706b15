/**
 * The registry's vocabulary: tag keys on model versions and registered models, lifecycle states
 * and aliases. One place, so register, challenge, promote and show read the same names.
 */
export const STATES = ['registered', 'staged', 'promoted', 'archived'] as const
export type LifecycleState = (typeof STATES)[number]

export const ALIAS = {staging: 'staging', production: 'production'} as const

export const VERSION_TAG = {
  state: 'tradai.state',
  codeHash: 'tradai.code_hash',
  gitCommit: 'tradai.git_commit',
  gitDirty: 'tradai.git_dirty',
  metadataVersion: 'tradai.metadata_version',
  strategyClass: 'tradai.strategy_class',
  strategyFile: 'tradai.strategy_file',
  paramsFile: 'tradai.params_file',
  /** The strategy's configuration file (`<stem>.config.json`) registered with the code; absent when it has none. */
  configFile: 'tradai.config_file',
  registeredBy: 'tradai.registered_by',
  lintStatus: 'tradai.lint.status',
  lintRunId: 'tradai.lint.run_id',
  challengeStatus: 'tradai.challenge.status',
  challengeRunId: 'tradai.challenge.run_id',
  challengeCodeHash: 'tradai.challenge.code_hash',
  challengeAt: 'tradai.challenge.at',
  /** Set by `tradai shadow report`; promotion to `promoted` needs `passed` and the run to agree. */
  shadowStatus: 'tradai.shadow.status',
  shadowRunId: 'tradai.shadow.run_id',
  shadowCodeHash: 'tradai.shadow.code_hash',
  shadowSession: 'tradai.shadow.session',
  shadowAt: 'tradai.shadow.at',
  stateChangedAt: 'tradai.state.changed_at',
  stateChangedBy: 'tradai.state.changed_by',
  stateReason: 'tradai.state.reason',
  stateAuditId: 'tradai.state.audit_id',
  forced: 'tradai.promotion.forced',
  forceReason: 'tradai.promotion.force_reason',
} as const

export const MODEL_TAG = {
  /** `tradai.audit.000001`, ...: one append-only audit entry per transition (JSON). */
  auditPrefix: 'tradai.audit.',
  /** The promotion lock (JSON {token, who, at, expiresAt}); see lock.ts. */
  lock: 'tradai.lock',
  strategy: 'tradai.strategy',
} as const

export const RUN_KIND = {registration: 'registration', challenge: 'challenge', audit: 'audit', shadow: 'shadow'} as const

/** Tags as a map (MLflow sends a list of {key, value}). */
export function tagMap(tags: Array<{key: string; value?: string}> | undefined): Record<string, string> {
  return Object.fromEntries((tags ?? []).map((tag) => [tag.key, tag.value ?? '']))
}

/** Who a lifecycle change is recorded as: TRADAI_USER when set (CI service accounts), else the OS user. */
export function actorName(env: Record<string, string | undefined>, osUser: string): string {
  return env.TRADAI_USER?.trim() || osUser
}
