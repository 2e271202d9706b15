import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'

import {NotFoundError, TradaiError} from '../errors.js'
import type {RegistryPort} from '../registry/port.js'
import type {Attestation, EvidenceKind} from './attestation.js'

/** The version tag naming where an attestation is stored: `runs:/<runId>/attestations/<kind>.json`. */
export function evidenceTag(kind: EvidenceKind): string {
  return `tradai.attestation.${kind}`
}

export function attestationPath(kind: EvidenceKind): string {
  return `attestations/${kind}.json`
}

export interface AttestationRef {
  runId: string
  path: string
}

export function formatRef(ref: AttestationRef): string {
  return `runs:/${ref.runId}/${ref.path}`
}

export function parseRef(value: string | undefined): AttestationRef | null {
  const match = /^runs:\/([^/]+)\/(attestations\/[a-z]+\.json)$/.exec(value ?? '')
  return match ? {runId: match[1]!, path: match[2]!} : null
}

/**
 * Stores a signed attestation as an artifact of the run it names and points the model version's
 * tag at it. The tag is only an index: a gate reads the artifact and checks its signature.
 */
export async function recordAttestation(port: RegistryPort, model: string, attestation: Attestation, signal?: AbortSignal): Promise<string> {
  const {statement} = attestation
  const ref: AttestationRef = {runId: statement.runId, path: attestationPath(statement.kind)}
  const run = await port.getRun(ref.runId, signal)
  const dir = await mkdtemp(path.join(tmpdir(), 'tradai-attestation-'))
  try {
    const file = path.join(dir, `${statement.kind}.json`)
    await writeFile(file, `${JSON.stringify(attestation, null, 2)}\n`)
    await port.uploadArtifact(run.info, ref.path, file, {signal})
  } finally {
    await rm(dir, {recursive: true, force: true})
  }

  const value = formatRef(ref)
  await port.setModelVersionTag(model, String(statement.version), evidenceTag(statement.kind), value, signal)
  return value
}

/** The attestation document a ref points at, or why it cannot be read (a reason, never a throw for missing evidence). */
export async function readAttestation(port: RegistryPort, ref: AttestationRef, signal?: AbortSignal): Promise<{document: unknown} | {missing: string}> {
  try {
    const run = await port.getRun(ref.runId, signal)
    if (run.info.lifecycle_stage === 'deleted') return {missing: `run ${ref.runId} is deleted`}
    const bytes = await port.downloadArtifact(run.info, ref.path, signal)
    try {
      return {document: JSON.parse(bytes.toString('utf8')) as unknown}
    } catch {
      return {missing: `${ref.path} in run ${ref.runId} is not JSON`}
    }
  } catch (error) {
    if (error instanceof NotFoundError) return {missing: `run ${ref.runId} or its ${ref.path} does not exist`}
    if (error instanceof TradaiError && error.code === 'TRACKING_REQUEST') return {missing: `${ref.path} cannot be read from run ${ref.runId}`}
    throw error
  }
}
