/**
 * Signed gate evidence. Every piece of evidence a gate reads (the registration, lint report,
 * challenge result, shadow report) is an attestation: a canonical JSON statement signed
 * HMAC-SHA256 with the gate key, stored as an artifact of its run, referenced from the model
 * version's `tradai.attestation.<kind>` tag. To attest a new kind of evidence:
 *
 *   const attestation = attest({kind: 'shadow', model, version, codeHash, runId,
 *     result: {status: 'passed', digest: digestOf(reportBytes)}, policy, at, who}, key)
 *   await recordAttestation(port, model, attestation, signal)
 *
 * and a gate checks it with `checkEvidence(port, key, 'shadow', model, version, codeHash)`
 * (or `verifyAttestation(document, key, expected)` on a document it read itself).
 */
export {
  attest,
  digestOf,
  STATEMENT_TYPE,
  verifyAttestation,
  type Attestation,
  type AttestationExpectation,
  type AttestationStatement,
  type EvidenceKind,
  type Verification,
} from './attestation.js'
export {canonicalJson} from './canonical.js'
export {checkEvidence, checkRegisteredCode, CODE_CHANGED, type CodeCheck, type EvidenceCheck} from './evidence.js'
export {DEFAULT_KEY_FILE, loadGateKey, type GateKey, type GateKeyRequest} from './key.js'
export {attestationPath, evidenceTag, formatRef, parseRef, readAttestation, recordAttestation, type AttestationRef} from './store.js'
