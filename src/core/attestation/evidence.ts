import type {RegistryPort} from '../registry/port.js'
import type {RegistryVersion} from '../registry/state.js'
import {fetchVersionCode} from '../registry/version-code.js'
import {verifyAttestation, type EvidenceKind} from './attestation.js'
import type {GateKey} from './key.js'
import {evidenceTag, parseRef, readAttestation} from './store.js'

/** One piece of evidence as a gate judged it (`promote --dry-run` lists them). */
export interface EvidenceCheck {
  kind: EvidenceKind
  verified: boolean
  /** Why it is no evidence (null when verified). */
  reason: string | null
  /** The version tag's value: where the attestation is stored. */
  ref: string | null
  runId: string | null
  /** The signed result status (`passed`, `failed`, `registered`). */
  status: string | null
  at: string | null
  who: string | null
  policy: Record<string, unknown> | null
}

/** The registry's code now, against the code hash the registration attestation signed. */
export interface CodeCheck {
  verified: boolean
  attestedHash: string | null
  registryHash: string | null
  reason: string | null
}

export const CODE_CHANGED = 'the registered code changed after it was validated'

/**
 * Reads and verifies the attestation a version's tag points at. `codeHash` is the hash the
 * evidence must be about: the registration's own (attested) hash, never a tag alone.
 */
export async function checkEvidence(
  port: RegistryPort,
  key: GateKey | null,
  kind: EvidenceKind,
  model: string,
  version: RegistryVersion,
  codeHash: string | null,
  signal?: AbortSignal,
): Promise<EvidenceCheck> {
  const tag = version.tags[evidenceTag(kind)] ?? null
  const none = (reason: string): EvidenceCheck => ({kind, verified: false, reason, ref: tag, runId: null, status: null, at: null, who: null, policy: null})
  if (!tag) return none(`no ${kind} attestation (a tag without a signed attestation is no evidence)`)
  const ref = parseRef(tag)
  if (!ref) return none(`the ${evidenceTag(kind)} tag "${tag.slice(0, 80)}" does not point at an attestation`)
  // Registration and lint are attested in the version's own registration run.
  const runId = kind === 'registration' || kind === 'lint' ? (version.runId ?? '') : ref.runId
  if (ref.runId !== runId) return none(`the ${kind} attestation is stored in run ${ref.runId}, not the version's registration run ${runId}`)
  if (!codeHash) return none('the registration is not verified, so no evidence about its code can be')
  const read = await readAttestation(port, ref, signal)
  if ('missing' in read) return {...none(`the ${kind} attestation cannot be read: ${read.missing}`), runId}
  const verification = verifyAttestation(read.document, key, {kind, model, version: version.version, codeHash, runId})
  if (!verification.verified) return {...none(`the ${kind} attestation is not valid: ${verification.reason}`), runId}
  const {statement} = verification
  return {kind, verified: true, reason: null, ref: tag, runId, status: statement.result.status, at: statement.at, who: statement.who, policy: statement.policy}
}

/**
 * The version's registration attestation plus the code the registry holds now, hashed again:
 * a gate trusts neither the code hash tag nor the artifacts it has not just re-read.
 */
export async function checkRegisteredCode(
  port: RegistryPort,
  key: GateKey | null,
  model: string,
  version: RegistryVersion,
  signal?: AbortSignal,
): Promise<{registration: EvidenceCheck; code: CodeCheck}> {
  const registration = await checkEvidence(port, key, 'registration', model, version, version.codeHash, signal)
  if (!registration.verified) return {registration, code: {verified: false, attestedHash: null, registryHash: null, reason: 'no verified registration to compare with'}}
  const attestedHash = version.codeHash!
  let registryHash: string
  try {
    registryHash = (await fetchVersionCode(port, model, version, signal)).codeHash
  } catch (error) {
    return {registration, code: {verified: false, attestedHash, registryHash: null, reason: `${CODE_CHANGED}: its artifacts cannot be read (${(error as Error).message})`}}
  }

  if (registryHash !== attestedHash) {
    return {
      registration,
      code: {
        verified: false,
        attestedHash,
        registryHash,
        reason: `${CODE_CHANGED}: the registry's strategy artifacts hash to ${registryHash.slice(0, 12)}, the attested code is ${attestedHash.slice(0, 12)}`,
      },
    }
  }

  return {registration, code: {verified: true, attestedHash, registryHash, reason: null}}
}
