import {createHash, createHmac, timingSafeEqual} from 'node:crypto'
import * as z from 'zod'

import {canonicalJson} from './canonical.js'
import type {GateKey} from './key.js'

export const STATEMENT_TYPE = 'https://tradai.dev/attestation/v1'

/** The kinds of evidence tradai's gates read; `shadow` is written by shadow trading. */
export type EvidenceKind = 'registration' | 'lint' | 'challenge' | 'shadow'

/**
 * What one piece of evidence claims, about exactly one model version and one code hash.
 * `result.digest` is the sha256 of the result document (lint report, challenge report, shadow
 * report) stored beside it in the same run, so the statement also pins that document.
 */
export interface AttestationStatement {
  type: typeof STATEMENT_TYPE
  kind: EvidenceKind
  model: string
  version: number
  codeHash: string
  /** The MLflow run that holds the evidence (and this attestation as its artifact). */
  runId: string
  result: {status: string; digest: string | null}
  /** The policy the result was judged by (criteria, lint mode, ...); null when there is none. */
  policy: Record<string, unknown> | null
  at: string
  who: string
}

export interface Attestation {
  statement: AttestationStatement
  signature: {alg: 'HMAC-SHA256'; keyId: string; value: string}
}

const attestationSchema = z.object({
  statement: z.object({
    type: z.literal(STATEMENT_TYPE),
    kind: z.enum(['registration', 'lint', 'challenge', 'shadow']),
    model: z.string(),
    version: z.number().int(),
    codeHash: z.string(),
    runId: z.string(),
    result: z.object({status: z.string(), digest: z.string().nullable()}),
    policy: z.record(z.string(), z.unknown()).nullable(),
    at: z.string(),
    who: z.string(),
  }),
  signature: z.object({alg: z.literal('HMAC-SHA256'), keyId: z.string(), value: z.string().regex(/^[0-9a-f]{64}$/)}),
})

/** sha256 of a result document, in the form statements carry (`sha256:<hex>`). */
export function digestOf(content: Buffer | string): string {
  return `sha256:${createHash('sha256').update(content).digest('hex')}`
}

/** Signs a statement: HMAC-SHA256 over its canonical JSON with the gate key. */
export function attest(statement: Omit<AttestationStatement, 'type'>, key: GateKey): Attestation {
  const full: AttestationStatement = {type: STATEMENT_TYPE, ...statement}
  return {statement: full, signature: {alg: 'HMAC-SHA256', keyId: key.id, value: sign(full, key)}}
}

/** What a gate expects a statement to be about; every field given must match exactly. */
export interface AttestationExpectation {
  kind: EvidenceKind
  model: string
  version: number
  codeHash: string
  runId?: string
}

export type Verification = {verified: true; statement: AttestationStatement} | {verified: false; reason: string}

/**
 * Checks an attestation read from MLflow: well formed, signed with this key, and about exactly
 * the version and code the gate is deciding on. Anything else is no evidence (with the reason).
 */
export function verifyAttestation(document: unknown, key: GateKey | null, expected: AttestationExpectation): Verification {
  const parsed = attestationSchema.safeParse(document)
  if (!parsed.success) return {verified: false, reason: 'the attestation is not a tradai attestation document'}
  const {statement, signature} = parsed.data as Attestation
  if (!key) return {verified: false, reason: 'no gate signing key on this machine to verify it with (set TRADAI_GATE_KEY or gates.signingKeyFile)'}
  if (signature.keyId !== key.id) return {verified: false, reason: `it is signed with another key (key id ${signature.keyId}; this key is ${key.id})`}
  const expectedSignature = Buffer.from(sign(statement, key), 'hex')
  if (!timingSafeEqual(expectedSignature, Buffer.from(signature.value, 'hex'))) return {verified: false, reason: 'its signature does not match its statement (forged or altered)'}
  if (statement.kind !== expected.kind) return {verified: false, reason: `it attests ${statement.kind}, not ${expected.kind}`}
  if (statement.model !== expected.model) return {verified: false, reason: `it is for model ${statement.model}, not ${expected.model}`}
  if (statement.version !== expected.version) return {verified: false, reason: `it is for v${statement.version}, not v${expected.version}`}
  if (statement.codeHash !== expected.codeHash) {
    return {verified: false, reason: `it is for code ${statement.codeHash.slice(0, 12)}, not the registered code ${expected.codeHash.slice(0, 12)}`}
  }

  if (expected.runId !== undefined && statement.runId !== expected.runId) return {verified: false, reason: `it names run ${statement.runId}, not ${expected.runId}`}
  return {verified: true, statement}
}

function sign(statement: AttestationStatement, key: GateKey): string {
  return createHmac('sha256', key.secret).update(canonicalJson(statement)).digest('hex')
}
