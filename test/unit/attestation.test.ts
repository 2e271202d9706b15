import {mkdtempSync, readFileSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {attest, canonicalJson, digestOf, loadGateKey, verifyAttestation, type GateKey} from '../../src/core/attestation/index.js'

const key = async (text: string): Promise<GateKey> => (await loadGateKey({envKey: text, configDir: '/nonexistent', create: false}))!
const statement = {
  kind: 'challenge' as const,
  model: 'S',
  version: 2,
  codeHash: 'a'.repeat(64),
  runId: 'run1',
  result: {status: 'passed', digest: digestOf('report')},
  policy: {criteria: ['x > 1']},
  at: '2026-01-01T00:00:00Z',
  who: 'ci',
}
const expected = {kind: 'challenge' as const, model: 'S', version: 2, codeHash: 'a'.repeat(64), runId: 'run1'}

describe('attestations', () => {
  it('canonical JSON sorts keys at every depth and drops undefined', () => {
    expect(canonicalJson({b: 1, a: {d: [1, {z: 1, y: 2}], c: undefined}})).toBe('{"a":{"d":[1,{"y":2,"z":1}]},"b":1}')
  })

  it('verifies a statement signed with the same key, about the expected version and code', async () => {
    const k = await key('k'.repeat(32))
    const signed = attest(statement, k)
    expect(verifyAttestation(JSON.parse(JSON.stringify(signed)), k, expected)).toMatchObject({verified: true, statement: {version: 2, result: {status: 'passed'}}})
  })

  it('refuses an altered statement, another key, another version/code/run, and no key', async () => {
    const k = await key('k'.repeat(32))
    const signed = attest(statement, k)
    const altered = {...signed, statement: {...signed.statement, result: {...signed.statement.result, status: 'passed '}}}
    expect(verifyAttestation(altered, k, expected)).toMatchObject({verified: false, reason: expect.stringMatching(/does not match its statement/)})
    const forged = {...signed, signature: {...signed.signature, value: '0'.repeat(64)}}
    expect(verifyAttestation(forged, k, expected)).toMatchObject({verified: false, reason: expect.stringMatching(/forged or altered/)})
    expect(verifyAttestation(signed, await key('o'.repeat(32)), expected)).toMatchObject({verified: false, reason: expect.stringMatching(/another key/)})
    expect(verifyAttestation(signed, k, {...expected, version: 3})).toMatchObject({verified: false, reason: 'it is for v2, not v3'})
    expect(verifyAttestation(signed, k, {...expected, codeHash: 'b'.repeat(64)})).toMatchObject({verified: false, reason: expect.stringMatching(/not the registered code bbbb/)})
    expect(verifyAttestation(signed, k, {...expected, runId: 'run2'})).toMatchObject({verified: false, reason: 'it names run run1, not run2'})
    expect(verifyAttestation(signed, k, {...expected, kind: 'lint'})).toMatchObject({verified: false})
    expect(verifyAttestation(signed, null, expected)).toMatchObject({verified: false, reason: expect.stringMatching(/no gate signing key/)})
    expect(verifyAttestation({statement: {kind: 'challenge'}}, k, expected)).toMatchObject({verified: false, reason: expect.stringMatching(/not a tradai attestation/)})
  })

  it('generates the key on first use (mode 0600) only when asked, then reuses it; a short key is a config error', async () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'tradai-key-')), 'tradai')
    expect(await loadGateKey({configDir: dir, create: false})).toBeNull()
    const created = (await loadGateKey({configDir: dir, create: true}))!
    expect(created.source).toBe('generated')
    const file = path.join(dir, 'gate.key')
    expect(statSync(file).mode & 0o777).toBe(0o600)
    const again = (await loadGateKey({configDir: dir, create: true}))!
    expect(again).toMatchObject({id: created.id, source: 'file'})
    expect(readFileSync(file, 'utf8').trim()).toHaveLength(64)
    const fromFile = (await loadGateKey({keyFile: file, configDir: '/nonexistent', create: false}))!
    expect(fromFile.id).toBe(created.id)
    await expect(loadGateKey({envKey: 'short', configDir: dir, create: false})).rejects.toMatchObject({exitCode: 2})
  })
})
