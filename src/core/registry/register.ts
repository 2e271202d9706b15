import {existsSync} from 'node:fs'
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'

import type {EnginePort} from '../ports/engine.js'
import {attest, digestOf} from '../attestation/attestation.js'
import type {GateKey} from '../attestation/key.js'
import {recordAttestation} from '../attestation/store.js'
import type {TradaiConfig} from '../config/schema.js'
import {CheckFailedError, ConfigError} from '../errors.js'
import {inStage, type CoreContext} from '../events.js'
import {runLint} from '../lint/run-lint.js'
import type {LintReport} from '../lint/types.js'
import {showStrategy} from '../strategy/show-strategy.js'
import {leaves, maskLeaf, readFragment, strategyConfigFile} from '../strategy-config/fragment.js'
import {deliverRun} from '../tracking/deliver.js'
import {experimentName} from '../tracking/paths.js'
import {gitCommit, type RunContext} from '../tracking/run-context.js'
import {containsSecret} from '../tracking/secrets.js'
import {codeHashOfFiles} from './code-hash.js'
import type {RegistryPort} from '../ports/registry.js'
import {modelName, toRegistryVersion} from './state.js'
import {MODEL_TAG, RUN_KIND, tagMap, VERSION_TAG, type LifecycleState} from './tags.js'

export const REGISTER_STAGES = [
  {id: 'engine', title: 'Python engine'},
  {id: 'strategy', title: 'Load the strategy'},
  {id: 'lint', title: 'Lint'},
  {id: 'static', title: 'Static checks'},
  {id: 'registry', title: 'Register in MLflow'},
]

export interface RegisterRequest {
  name: string
  strategiesDir: string
  userDataDir: string
  experiment: Pick<TradaiConfig['tracking'], 'experimentName' | 'experimentPrefix'>
  context: RunContext
  /** Credential values that must not reach MLflow. */
  secrets: string[]
  /** The resolved tradai config with secrets masked: logged so the registration can be reproduced. */
  config: Record<string, unknown>
  /** Signs the registration and lint attestations (src/core/attestation). */
  gateKey: GateKey
}

/** The `--json` document of `tradai strategy register` (docs/schemas/strategy-register.schema.json). */
export interface RegisterResult {
  model: {name: string}
  version: number
  state: LifecycleState | 'unknown'
  runId: string
  codeHash: string
  /** False when this exact code was registered before and that version is returned. */
  created: boolean
  source: string | null
  strategyClass: string
  strategyFile: string
  paramsFile: string | null
  /** The strategy's configuration registered with the code (covered by the code hash), null when it has none. */
  configFile: string | null
  gitCommit: string | null
  metadataVersion: string | null
  lint: {errors: number; warnings: number; infos: number}
}

/**
 * Registers a strategy: lint must pass (errors → exit 1, nothing registered); then a run holds
 * the strategy code, params file, config and lint report as artifacts, and a model version of the
 * strategy's registered model points at the run's `strategy/` folder, tagged state=registered,
 * code hash, git commit and metadata version. The same code hash registered before returns that
 * version (idempotent).
 */
export async function registerStrategy(request: RegisterRequest, engine: EnginePort, port: RegistryPort, ctx: CoreContext): Promise<RegisterResult> {
  const strategy = await showStrategy({strategiesDir: request.strategiesDir, name: request.name}, engine, ctx)
  const lint = await inStage(ctx, 'lint', async () =>
    runLint({paths: [strategy.file], names: [], strategiesDir: request.strategiesDir, deep: false, strict: false, userDataDir: request.userDataDir}, engine, ctx),
  )
  if (!lint.passed) {
    const errors = lint.findings.filter((finding) => finding.severity === 'error')
    throw new CheckFailedError(
      `Strategy ${strategy.name} has ${errors.length} lint error(s); nothing was registered:\n${errors
        .map((finding) => `  ${path.basename(finding.file)}:${finding.line}:${finding.column} ${finding.ruleId} ${finding.message}`)
        .join('\n')}`,
      {details: {findings: errors}, suggestions: [`Fix them (\`tradai strategy lint ${strategy.name}\` says how), then register again.`]},
    )
  }

  ctx.onEvent({type: 'stage', stage: 'registry', status: 'start', message: port.uri})
  const model = modelName(strategy.name)
  const configFile = existsSync(strategyConfigFile(strategy.file)) ? strategyConfigFile(strategy.file) : null
  if (configFile) await refuseCredentials(configFile)
  const hash = await codeHashOfFiles(strategy.file, strategy.paramsFile, configFile)
  const git = await gitCommit(path.dirname(strategy.file))
  const metadataVersion = typeof strategy.metadata?.version === 'string' ? strategy.metadata.version : null
  const base = {
    model: {name: model},
    codeHash: hash,
    strategyClass: strategy.className,
    strategyFile: strategy.file,
    paramsFile: strategy.paramsFile,
    configFile,
    gitCommit: git?.commit ?? null,
    metadataVersion,
    lint: {errors: lint.summary.errors, warnings: lint.summary.warnings, infos: lint.summary.infos},
  }

  await port.ensureRegisteredModel(
    model,
    {description: `tradai strategy ${strategy.name} (${strategy.className})`, tags: [{key: MODEL_TAG.strategy, value: strategy.name}]},
    ctx.signal,
  )
  const existing = await findByCodeHash(port, model, hash, ctx.signal)
  if (existing) {
    ctx.onEvent({type: 'log', level: 'info', message: `This code is already registered as ${model} v${existing.version}.`})
    ctx.onEvent({type: 'stage', stage: 'registry', status: 'done', message: `v${existing.version} (unchanged)`})
    return {...base, version: existing.version, state: existing.state, runId: existing.runId ?? '', source: existing.source, created: false}
  }

  const runId = await logRegistrationRun(request, {...strategy, configFile}, lint, hash, git, port, ctx)
  const run = await port.getRun(runId, ctx.signal)
  const source = `${run.info.artifact_uri}/strategy`
  const now = new Date().toISOString()
  const tags: Record<string, string | null> = {
    [VERSION_TAG.state]: 'registered',
    [VERSION_TAG.codeHash]: hash,
    [VERSION_TAG.gitCommit]: git?.commit ?? null,
    [VERSION_TAG.gitDirty]: git ? String(git.dirty) : null,
    [VERSION_TAG.metadataVersion]: metadataVersion,
    [VERSION_TAG.strategyClass]: strategy.className,
    [VERSION_TAG.strategyFile]: path.basename(strategy.file),
    [VERSION_TAG.paramsFile]: strategy.paramsFile ? path.basename(strategy.paramsFile) : null,
    [VERSION_TAG.configFile]: configFile ? path.basename(configFile) : null,
    [VERSION_TAG.registeredBy]: request.context.user,
    [VERSION_TAG.lintStatus]: 'passed',
    [VERSION_TAG.lintRunId]: runId,
    [VERSION_TAG.stateChangedAt]: now,
    [VERSION_TAG.stateChangedBy]: request.context.user,
  }
  const created = await port.createModelVersion(
    {
      name: model,
      source,
      runId,
      description: `${strategy.className}${metadataVersion ? ` ${metadataVersion}` : ''}, code ${hash.slice(0, 12)}`,
      tags: Object.entries(tags)
        .filter((entry): entry is [string, string] => entry[1] !== null)
        .map(([key, value]) => ({key, value})),
    },
    ctx.signal,
  )
  // Two registrations of the same code racing: the lowest version wins, the other removes its own.
  const first = await findByCodeHash(port, model, hash, ctx.signal)
  if (first && first.version < Number(created.version)) {
    await port.deleteModelVersion(model, created.version, ctx.signal)
    ctx.onEvent({type: 'stage', stage: 'registry', status: 'done', message: `v${first.version} (registered concurrently)`})
    return {...base, version: first.version, state: first.state, runId: first.runId ?? '', source: first.source, created: false}
  }

  await attestRegistration(request, model, Number(created.version), hash, runId, lint, port, ctx)
  ctx.onEvent({type: 'stage', stage: 'registry', status: 'done', message: `v${created.version}`})
  return {...base, version: Number(created.version), state: 'registered', runId, source, created: true}
}

/** The registration itself and its passing lint, signed and stored in the registration run: what the gates trust. */
async function attestRegistration(
  request: RegisterRequest,
  model: string,
  version: number,
  hash: string,
  runId: string,
  lint: LintReport,
  port: RegistryPort,
  ctx: CoreContext,
): Promise<void> {
  const common = {model, version, codeHash: hash, runId, at: new Date().toISOString(), who: request.context.user}
  await recordAttestation(port, model, attest({...common, kind: 'registration', result: {status: 'registered', digest: null}, policy: null}, request.gateKey), ctx.signal)
  await recordAttestation(
    port,
    model,
    attest(
      {...common, kind: 'lint', result: {status: lint.passed ? 'passed' : 'failed', digest: digestOf(lintReportText(lint))}, policy: {deep: false, strict: false}},
      request.gateKey,
    ),
    ctx.signal,
  )
}

function lintReportText(lint: LintReport): string {
  return `${JSON.stringify(lint, null, 2)}\n`
}

/** A strategy configuration is registered with the code: a credential in it must never reach MLflow. */
async function refuseCredentials(file: string): Promise<void> {
  const secrets = leaves((await readFragment(file)) ?? {}).filter(([key, value]) => maskLeaf(key, value) === '***')
  if (secrets.length > 0) {
    throw new ConfigError(`${file} holds credentials (${secrets.map(([key]) => key).join(', ')}); a strategy configuration is registered with the code, so it cannot hold them.`, {
      suggestions: ['Remove them from the file and store exchange keys with `tradai credentials set`, then register again.'],
    })
  }
}

async function findByCodeHash(port: RegistryPort, model: string, hash: string, signal: AbortSignal) {
  // MLflow's version search ignores tag filters on some stores: filter here.
  const versions = await port.searchModelVersions(`name='${model.replace(/'/g, "\\'")}'`, signal)
  const matching = versions.filter((version) => tagMap(version.tags)[VERSION_TAG.codeHash] === hash).sort((a, b) => Number(a.version) - Number(b.version))
  return matching[0] ? toRegistryVersion(matching[0], []) : undefined
}

async function logRegistrationRun(
  request: RegisterRequest,
  strategy: {name: string; className: string; file: string; paramsFile: string | null; configFile: string | null},
  lint: LintReport,
  hash: string,
  git: {commit: string; dirty: boolean} | null,
  port: RegistryPort,
  ctx: CoreContext,
): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tradai-register-'))
  try {
    const lintFile = path.join(dir, 'lint-report.json')
    const configFile = path.join(dir, 'tradai-config.json')
    await writeFile(lintFile, lintReportText(lint))
    await writeFile(configFile, `${JSON.stringify(request.config, null, 2)}\n`)
    const artifacts = [
      {path: `strategy/${path.basename(strategy.file)}`, file: strategy.file},
      ...(strategy.paramsFile ? [{path: `strategy/${path.basename(strategy.paramsFile)}`, file: strategy.paramsFile}] : []),
      ...(strategy.configFile ? [{path: `strategy/${path.basename(strategy.configFile)}`, file: strategy.configFile}] : []),
      {path: 'config/tradai-config.json', file: configFile},
      {path: 'lint/lint-report.json', file: lintFile},
    ]
    for (const artifact of artifacts) {
      if (request.secrets.length > 0 && containsSecret(await readFile(artifact.file), request.secrets)) {
        throw new CheckFailedError(`${artifact.file} contains a credential value; it cannot be registered.`, {
          suggestions: ['Move the credential out of the file (tradai credentials / environment), then register again.'],
        })
      }
    }

    const now = Date.now()
    const runName = `register ${strategy.name} ${hash.slice(0, 12)}`
    const {runId} = await deliverRun(
      port,
      {
        format: 1,
        clientRunId: `register:${strategy.name}:${hash}:${now}`,
        experimentName: experimentName(request.experiment, strategy.name),
        runName,
        user: request.context.user,
        startTime: now,
        endTime: now,
        params: [
          {key: 'strategy', value: strategy.name},
          {key: 'strategy.class', value: strategy.className},
          {key: 'strategy.codeHash', value: hash},
          ...(git
            ? [
                {key: 'git.commit', value: git.commit},
                {key: 'git.dirty', value: String(git.dirty)},
              ]
            : []),
        ],
        metrics: [
          {key: 'lint.errors', value: lint.summary.errors, timestamp: now, step: 0},
          {key: 'lint.warnings', value: lint.summary.warnings, timestamp: now, step: 0},
        ],
        tags: [
          {key: 'tradai.kind', value: RUN_KIND.registration},
          {key: 'tradai.strategy', value: strategy.name},
          {key: VERSION_TAG.codeHash, value: hash},
          {key: 'tradai.version', value: request.context.tradaiVersion},
          {key: 'mlflow.user', value: request.context.user},
          {key: 'mlflow.runName', value: runName},
          {key: 'mlflow.source.name', value: 'tradai strategy register'},
          ...(git ? [{key: 'mlflow.source.git.commit', value: git.commit}] : []),
        ],
        artifacts,
      },
      {artifacts: []},
      {save: async () => {}, stage: 'registry'},
      ctx,
    )
    return runId
  } finally {
    await rm(dir, {recursive: true, force: true})
  }
}
