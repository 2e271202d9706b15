import {copyFileSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {attest, loadGateKey, type Attestation, type GateKey} from '../../src/core/attestation/index.js'
import {MlflowClient} from '../../src/engines/mlflow/client.js'
import {json, runCli, type CliResult} from '../helpers/cli.js'
import {schemaErrors} from '../helpers/json-schema.js'
import {startMlflowServer, type TestMlflowServer} from '../helpers/mlflow-server.js'
import {fixtureUserData, STRATEGIES, tempDir} from '../helpers/paths.js'

/**
 * The gates against an attacker who can write anything to the MLflow server (tags, runs,
 * artifacts through the proxy) but does not hold the gate key. Real MLflow server, real
 * Freqtrade challenges on the fixture candles; the key is generated on first use into a temp
 * XDG_CONFIG_HOME. Every bypass must be refused with exit 1 and a message naming the cause.
 */
const MODEL = 'SampleRsiStrategy'
const DATA = ['--pairs', 'ETH/BTC', '--timerange', '20180115-20180118', '--criterion', 'totalTrades >= 1']

interface Refused {
  error: {code: string; message: string; exitCode: number; details?: {refusals?: Array<{gate: string; message: string}>}}
}

interface Evidence {
  kind: string
  verified: boolean
  reason: string | null
  ref: string | null
  runId: string | null
  status: string | null
}

describe('gates that cannot be forged (real MLflow)', {timeout: 600_000}, () => {
  let server: TestMlflowServer
  let client: MlflowClient
  let strategyFile: string
  let configHome: string
  let env: NodeJS.ProcessEnv
  let key: GateKey
  const v: Record<number, {codeHash: string; runId: string}> = {}
  let v1Challenge: string
  const cli = (args: string[], extra: NodeJS.ProcessEnv = {}) => runCli(args, {env: {...env, ...extra}})
  const refused = (result: CliResult) => {
    expect(result.code, result.stdout + result.stderr).toBe(1)
    expect(schemaErrors('error', json(result))).toEqual([])
    return json<Refused>(result).error
  }

  const tags = async (version: number) => Object.fromEntries(((await client.getModelVersion(MODEL, String(version))).tags ?? []).map((tag) => [tag.key, tag.value ?? '']))
  const setTag = (version: number, key: string, value: string) => client.setModelVersionTag(MODEL, String(version), key, value)
  /** An attestation document put where the attacker wants it: a new run of their own, via the proxy. */
  const plant = async (document: unknown, runTags: Array<{key: string; value: string}>) => {
    const experimentId = await client.ensureExperiment(MODEL)
    const run = await client.createRun({experimentId, startTime: Date.now(), tags: runTags})
    const file = path.join(tempDir('tradai-forged-'), 'challenge.json')
    writeFileSync(file, JSON.stringify(document))
    await client.uploadArtifact(run.info, 'attestations/challenge.json', file)
    return run.info.run_id
  }

  // A loaded machine can take minutes to bring MLflow up.
  beforeAll(async () => {
    server = await startMlflowServer({timeoutMs: 600_000})
    client = new MlflowClient({uri: server.url})
    const strategies = tempDir('tradai-trust-strategies-')
    strategyFile = path.join(strategies, 'sample_rsi_strategy.py')
    copyFileSync(path.join(STRATEGIES, 'sample_rsi_strategy.py'), strategyFile)
    configHome = tempDir('tradai-trust-config-')
    env = {
      TRADAI_MLFLOW_TRACKING_URI: server.url,
      TRADAI_STRATEGIES_DIR: strategies,
      TRADAI_USER_DATA_DIR: fixtureUserData(),
      TRADAI_USER: 'ci',
      XDG_CONFIG_HOME: configHome,
      TRADAI_GATE_KEY: '',
      // The staging policy these three days can meet (the default asks for 30 trades).
      TRADAI_GATES_CHALLENGE_CRITERIA: 'totalTrades >= 1',
    }
  }, 660_000)

  afterAll(async () => {
    await server?.stop()
  })

  it('register generates the gate key on first use (0600, outside MLflow) and signs the registration and lint', async () => {
    const result = await cli(['strategy', 'register', MODEL, '--json'])
    expect(result.code, result.stderr).toBe(0)
    const doc = json<{version: number; codeHash: string; runId: string}>(result)
    v[1] = {codeHash: doc.codeHash, runId: doc.runId}
    const keyFile = path.join(configHome, 'tradai', 'gate.key')
    expect(statSync(keyFile).mode & 0o777).toBe(0o600)
    key = (await loadGateKey({keyFile, configDir: configHome, create: false}))!
    const t = await tags(1)
    expect(t['tradai.attestation.registration']).toBe(`runs:/${doc.runId}/attestations/registration.json`)
    expect(t['tradai.attestation.lint']).toBe(`runs:/${doc.runId}/attestations/lint.json`)
    const run = await client.getRun(doc.runId)
    const signed = JSON.parse((await client.downloadArtifact(run.info, 'attestations/registration.json')).toString()) as Attestation
    expect(signed.statement).toMatchObject({kind: 'registration', model: MODEL, version: 1, codeHash: doc.codeHash, runId: doc.runId, who: 'ci'})
    expect(signed.signature).toMatchObject({alg: 'HMAC-SHA256', keyId: key.id})
    // The key itself is nowhere in MLflow: not in the attestation, not in any tag.
    const secret = readFileSync(keyFile, 'utf8').trim()
    expect(JSON.stringify(signed)).not.toContain(secret)
    expect(JSON.stringify(await client.getModelVersion(MODEL, '1'))).not.toContain(secret)
  })

  it('a challenge verifies before running and signs its result; promote --dry-run says which evidence verified', async () => {
    const result = await cli(['strategy', 'challenge', MODEL, '--version', '1', ...DATA, '--json'])
    expect(result.code, result.stderr).toBe(0)
    v1Challenge = json<{runId: string}>(result).runId
    expect((await tags(1))['tradai.attestation.challenge']).toBe(`runs:/${v1Challenge}/attestations/challenge.json`)

    const dry = await cli(['promote', MODEL, '--to', 'staged', '--version', '1', '--dry-run', '--json'])
    expect(dry.code, dry.stderr).toBe(0)
    const plan = json<{evidence: Evidence[]; code: {verified: boolean; attestedHash: string; registryHash: string}}>(dry)
    expect(schemaErrors('promote', plan)).toEqual([])
    expect(plan.evidence.map((check) => [check.kind, check.verified, check.status])).toEqual([
      ['registration', true, 'registered'],
      ['lint', true, 'passed'],
      ['challenge', true, 'passed'],
    ])
    expect(plan.code).toMatchObject({verified: true, attestedHash: v[1]!.codeHash, registryHash: v[1]!.codeHash})
    const text = await cli(['promote', MODEL, '--to', 'staged', '--version', '1', '--dry-run'])
    expect(text.stdout).toMatch(/Evidence:[\s\S]*✔ registration[\s\S]*✔ lint[\s\S]*✔ challenge: passed, signed by ci[\s\S]*✔ code/)

    // Verifying never creates a key: with none on this machine, nothing verifies.
    const keyless = await cli(['promote', MODEL, '--to', 'staged', '--version', '1', '--dry-run', '--json'], {XDG_CONFIG_HOME: tempDir('tradai-nokey-')})
    expect(refused(keyless).message).toMatch(/no gate signing key on this machine/)
    // Evidence signed with another key is no evidence.
    const other = await cli(['promote', MODEL, '--to', 'staged', '--version', '1', '--dry-run', '--json'], {TRADAI_GATE_KEY: 'another-key-0123456789abcdef'})
    expect(refused(other).message).toMatch(/signed with another key/)
  })

  it('tags set by hand without an attestation are no evidence (exit 1)', async () => {
    writeFileSync(strategyFile, `${readFileSync(strategyFile, 'utf8')}\n# v2\n`)
    const registered = await cli(['strategy', 'register', MODEL, '--json'])
    expect(registered.code, registered.stderr).toBe(0)
    const doc = json<{version: number; codeHash: string; runId: string}>(registered)
    expect(doc.version).toBe(2)
    v[2] = {codeHash: doc.codeHash, runId: doc.runId}
    await setTag(2, 'tradai.challenge.status', 'passed')
    await setTag(2, 'tradai.challenge.run_id', v1Challenge)
    await setTag(2, 'tradai.challenge.code_hash', doc.codeHash)
    const error = refused(await cli(['promote', MODEL, '--to', 'staged', '--version', '2', '--json']))
    expect(error.details?.refusals).toEqual([
      expect.objectContaining({gate: 'challenge', message: expect.stringMatching(/no challenge attestation \(a tag without a signed attestation is no evidence\)/)}),
    ])
  })

  it('a forged challenge run with copied tags and a copied attestation edited to claim v2 is refused (signature)', async () => {
    const v1Run = await client.getRun(v1Challenge)
    const original = JSON.parse((await client.downloadArtifact(v1Run.info, 'attestations/challenge.json')).toString()) as Attestation
    const copiedTags = (v1Run.data.tags ?? [])
      .filter((tag) => tag.key.startsWith('tradai.'))
      .map((tag) => ({key: tag.key, value: tag.key === 'tradai.model_version' ? '2' : tag.key === 'tradai.code_hash' ? v[2]!.codeHash : (tag.value ?? '')}))
    const forgedRun = await plant({}, copiedTags)
    const edited = {...original, statement: {...original.statement, version: 2, codeHash: v[2]!.codeHash, runId: forgedRun}}
    const run = await client.getRun(forgedRun)
    const file = path.join(tempDir('tradai-forged-'), 'challenge.json')
    writeFileSync(file, JSON.stringify(edited))
    await client.uploadArtifact(run.info, 'attestations/challenge.json', file)
    await setTag(2, 'tradai.challenge.run_id', forgedRun)
    await setTag(2, 'tradai.attestation.challenge', `runs:/${forgedRun}/attestations/challenge.json`)
    expect(refused(await cli(['promote', MODEL, '--to', 'staged', '--version', '2', '--json'])).message).toMatch(
      /\[challenge\].*signature does not match its statement \(forged or altered\)/,
    )

    // Signed with the attacker's own key: refused for the key, not let through.
    const attacker = (await loadGateKey({envKey: 'attacker-key-0123456789abcdef', configDir: '/nonexistent', create: false}))!
    const own = await plant(attest({...edited.statement, runId: 'x'}, attacker), copiedTags)
    const ownRun = await client.getRun(own)
    writeFileSync(file, JSON.stringify(attest({...edited.statement, runId: own}, attacker)))
    await client.uploadArtifact(ownRun.info, 'attestations/challenge.json', file)
    await setTag(2, 'tradai.attestation.challenge', `runs:/${own}/attestations/challenge.json`)
    expect(refused(await cli(['promote', MODEL, '--to', 'staged', '--version', '2', '--json'])).message).toMatch(/signed with another key/)
  })

  it('an attestation for another version or another code hash is refused (exit 1)', async () => {
    // v1's genuine, validly signed passing challenge pointed at from v2.
    await setTag(2, 'tradai.attestation.challenge', `runs:/${v1Challenge}/attestations/challenge.json`)
    expect(refused(await cli(['promote', MODEL, '--to', 'staged', '--version', '2', '--json'])).message).toMatch(/challenge attestation is not valid: it is for v1, not v2/)

    // Correctly signed, for v2, but about other code (v1's).
    const runId = await plant({}, [{key: 'tradai.kind', value: 'challenge'}])
    const run = await client.getRun(runId)
    const file = path.join(tempDir('tradai-forged-'), 'challenge.json')
    const stale = attest(
      {
        kind: 'challenge',
        model: MODEL,
        version: 2,
        codeHash: v[1]!.codeHash,
        runId,
        result: {status: 'passed', digest: null},
        policy: null,
        at: new Date().toISOString(),
        who: 'ci',
      },
      key,
    )
    writeFileSync(file, JSON.stringify(stale))
    await client.uploadArtifact(run.info, 'attestations/challenge.json', file)
    await setTag(2, 'tradai.attestation.challenge', `runs:/${runId}/attestations/challenge.json`)
    expect(refused(await cli(['promote', MODEL, '--to', 'staged', '--version', '2', '--json'])).message).toMatch(
      new RegExp(`it is for code ${v[1]!.codeHash.slice(0, 12)}, not the registered code ${v[2]!.codeHash.slice(0, 12)}`),
    )
  })

  it('an alias moved by hand is reported by model show and promote, and promote --repair restores it from the audit', async () => {
    const staged = await cli(['promote', MODEL, '--to', 'staged', '--version', '1', '--json'])
    expect(staged.code, staged.stderr).toBe(0)
    await client.setModelAlias(MODEL, 'staging', '2')
    const show = await cli(['model', 'show', MODEL, '--json'])
    expect(show.code, show.stderr).toBe(0)
    expect(schemaErrors('model-show', json(show))).toEqual([])
    expect(json<{drift: unknown[]}>(show).drift).toEqual([{alias: 'staging', actual: 2, expected: 1}])
    expect(show.stderr).toMatch(/alias staging points at v2, but tradai's audit log says v1 .*--repair/)
    const dry = await cli(['promote', MODEL, '--to', 'promoted', '--dry-run', '--json'])
    expect(dry.stderr).toMatch(/alias staging points at v2, but tradai's audit log says v1/)

    const repaired = await cli(['promote', MODEL, '--repair', '--json'])
    expect(repaired.code, repaired.stderr).toBe(0)
    expect(schemaErrors('promote-repair', json(repaired))).toEqual([])
    expect(json(repaired)).toMatchObject({repaired: [{alias: 'staging', actual: 2, expected: 1}], aliases: {staging: 1, production: null}})
    expect((await client.getModelVersionByAlias(MODEL, 'staging')).version).toBe('1')
    const clean = await cli(['model', 'show', MODEL, '--json'])
    expect(json<{drift: unknown[]}>(clean).drift).toEqual([])
  })

  it('a strategy artifact overwritten through the artifacts proxy after the challenge: promote and challenge refuse (exit 1)', async () => {
    const run = await client.getRun(v[1]!.runId)
    const evil = path.join(tempDir('tradai-evil-'), 'sample_rsi_strategy.py')
    writeFileSync(evil, `${readFileSync(path.join(STRATEGIES, 'sample_rsi_strategy.py'), 'utf8')}\nimport os  # exfiltrate\n`)
    await client.uploadArtifact(run.info, 'strategy/sample_rsi_strategy.py', evil)

    // v1 is staged (above); promoting it to production re-checks its code.
    const promote = refused(await cli(['promote', MODEL, '--to', 'promoted', '--version', '1', '--force', '--reason', 'no shadow yet', '--json']))
    expect(promote.details?.refusals).toContainEqual(expect.objectContaining({gate: 'code', message: expect.stringMatching(/the registered code changed after it was validated/)}))
    expect(promote.message).toMatch(/\[code\] v1: the registered code changed after it was validated/)
    const challenge = await cli(['strategy', 'challenge', MODEL, '--version', '1', ...DATA, '--json'])
    expect(refused(challenge)).toMatchObject({code: 'CODE_CHANGED', message: expect.stringMatching(/the registered code changed after it was validated/)})
    // shadow start verifies before running too: no session is created, no bot starts.
    const shadowDir = tempDir('tradai-trust-shadow-')
    const shadowStart = ['shadow', 'start', MODEL, '--version', '1', '--replay', '--foreground', '--pairs', 'ETH/BTC', '--timerange', '20180115-20180117', '--json']
    const shadow = refused(await cli(shadowStart, {TRADAI_SHADOW_DIR: shadowDir}))
    expect(shadow).toMatchObject({
      code: 'CODE_CHANGED',
      message: expect.stringMatching(
        /^Refused to shadow-trade SampleRsiStrategy v1: the registered code changed after it was validated: the registry's strategy artifacts hash to/,
      ),
    })
    expect(readdirSync(shadowDir)).toEqual([])

    // Also rewriting the code hash tag to the new content breaks the signed registration instead.
    const {codeHashOfFiles} = await import('../../src/core/registry/code-hash.js')
    await setTag(1, 'tradai.code_hash', await codeHashOfFiles(evil, null))
    expect(refused(await cli(['promote', MODEL, '--to', 'promoted', '--version', '1', '--force', '--reason', 'x', '--json'])).message).toMatch(
      /\[registration\] v1 has no verified registration: the registration attestation is not valid: it is for code/,
    )
    expect(refused(await cli(shadowStart, {TRADAI_SHADOW_DIR: shadowDir}))).toMatchObject({
      code: 'EVIDENCE_INVALID',
      message: expect.stringMatching(/Refused to shadow-trade SampleRsiStrategy v1: SampleRsiStrategy v1 has no verified registration: the registration attestation is not valid/),
    })
    expect(await client.getRegisteredModel(MODEL).then((model) => (model.aliases ?? []).map((entry) => `${entry.alias}=${entry.version}`))).toEqual(['staging=1'])
  })
})
