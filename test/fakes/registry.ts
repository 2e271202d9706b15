import {readFile} from 'node:fs/promises'

import {NotFoundError, TrackingError} from '../../src/core/errors.js'
import type {CreateModelVersionRequest, ModelVersion, RegisteredModel, RegistryPort} from '../../src/core/ports/registry.js'
import type {Batch, CreateRunRequest, FileInfo, KeyValue, Metric, Run, RunInfo, RunStatus, SearchRunsRequest, UploadOptions} from '../../src/core/ports/tracking.js'

interface StoredRun {
  info: RunInfo
  params: Map<string, string>
  metrics: Metric[]
  tags: Map<string, string>
  artifacts: Map<string, Buffer>
}

interface StoredModel {
  name: string
  description?: string
  createdAt: number
  tags: Map<string, string>
  aliases: Map<string, string>
  versions: Map<string, ModelVersion & {tagMap: Map<string, string>}>
  lastVersion: number
}

/** A port method name; `failing` makes it throw (an outage, a refusal) to test the error paths. */
export type RegistryMethod = Exclude<keyof RegistryPort, 'uri'>

/**
 * An in-memory MLflow behind tradai's RegistryPort (and so TrackingPort): experiments, runs with
 * params/metrics/tags/artifacts, registered models, versions, aliases and tags. It answers the way
 * MlflowClient does on a real server (test/contract/*.contract.ts runs the same suite on both):
 * a missing run, model or version is a NotFoundError, a changed param a TrackingError.
 */
export class FakeRegistry implements RegistryPort {
  readonly uri = 'fake-mlflow://memory'
  readonly experiments = new Map<string, string>()
  readonly runs = new Map<string, StoredRun>()
  readonly models = new Map<string, StoredModel>()
  /** Methods that fail from now on, with the error they throw. */
  readonly failing = new Map<RegistryMethod, Error>()
  /** Every call, by method name, in order (what the core under test asked for). */
  readonly calls: RegistryMethod[] = []
  private nextId = 1
  private now = 1_700_000_000_000

  runUrl(experimentId: string, runId: string): string {
    return `${this.uri}/#/experiments/${experimentId}/runs/${runId}`
  }

  async ensureExperiment(name: string): Promise<string> {
    this.enter('ensureExperiment')
    if (!this.experiments.has(name)) this.experiments.set(name, String(this.nextId++))
    return this.experiments.get(name)!
  }

  async searchRuns(request: SearchRunsRequest): Promise<Run[]> {
    this.enter('searchRuns')
    const match = matcher(request.filter)
    const found = [...this.runs.values()].filter((run) => request.experimentIds.includes(run.info.experiment_id) && match(run.tags))
    return found.slice(0, request.maxResults ?? found.length).map((run) => view(run))
  }

  async createRun(request: CreateRunRequest): Promise<Run> {
    this.enter('createRun')
    if (![...this.experiments.values()].includes(request.experimentId)) throw notFound(`experiment ${request.experimentId}`)
    const runId = `run${String(this.nextId++).padStart(6, '0')}`
    const run: StoredRun = {
      info: {
        run_id: runId,
        experiment_id: request.experimentId,
        run_name: request.runName,
        status: 'RUNNING',
        start_time: request.startTime,
        artifact_uri: `mlflow-artifacts:/${request.experimentId}/${runId}/artifacts`,
        lifecycle_stage: 'active',
      },
      params: new Map(),
      metrics: [],
      tags: new Map(request.tags.map((tag) => [tag.key, tag.value])),
      artifacts: new Map(),
    }
    if (request.runName) run.tags.set('mlflow.runName', request.runName)
    if (request.user) run.tags.set('mlflow.user', request.user)
    this.runs.set(runId, run)
    return view(run)
  }

  async getRun(runId: string): Promise<Run> {
    this.enter('getRun')
    return view(this.run(runId))
  }

  async logBatch(runId: string, batch: Batch, _signal?: AbortSignal, onChunk?: (done: number, total: number) => void): Promise<void> {
    this.enter('logBatch')
    const run = this.run(runId)
    for (const param of batch.params) {
      const before = run.params.get(param.key)
      if (before !== undefined && before !== param.value) {
        throw new TrackingError(`MLflow: Changing param values is not allowed. Param with key='${param.key}' was already logged with value='${before}'`, {code: 'TRACKING_REFUSED'})
      }
    }

    for (const param of batch.params) run.params.set(param.key, param.value)
    for (const tag of batch.tags) run.tags.set(tag.key, tag.value)
    for (const metric of batch.metrics) {
      const same = run.metrics.some((m) => m.key === metric.key && m.value === metric.value && m.timestamp === metric.timestamp && m.step === metric.step)
      if (!same) run.metrics.push({...metric})
    }

    onChunk?.(1, 1)
  }

  async uploadArtifact(run: RunInfo, artifactPath: string, localFile: string, options?: UploadOptions): Promise<void> {
    this.enter('uploadArtifact')
    const content = await readFile(localFile)
    this.run(run.run_id).artifacts.set(artifactPath, content)
    options?.onProgress?.(content.length, content.length)
  }

  async updateRun(runId: string, status: RunStatus, endTime?: number): Promise<RunInfo> {
    this.enter('updateRun')
    const run = this.run(runId)
    run.info = {...run.info, status, ...(endTime === undefined ? {} : {end_time: endTime})}
    return {...run.info}
  }

  async listArtifacts(run: RunInfo, dir = ''): Promise<FileInfo[]> {
    this.enter('listArtifacts')
    const prefix = dir ? `${dir}/` : ''
    const entries = new Map<string, FileInfo>()
    for (const [file, content] of this.run(run.run_id).artifacts) {
      if (!file.startsWith(prefix)) continue
      const [head, ...rest] = file.slice(prefix.length).split('/')
      const entryPath = `${prefix}${head}`
      entries.set(entryPath, rest.length > 0 ? {path: entryPath, is_dir: true} : {path: entryPath, is_dir: false, file_size: content.length})
    }

    return [...entries.values()].sort((a, b) => a.path.localeCompare(b.path))
  }

  async downloadArtifact(run: RunInfo, artifactPath: string): Promise<Buffer> {
    this.enter('downloadArtifact')
    const content = this.run(run.run_id).artifacts.get(artifactPath)
    if (!content) throw notFound(`artifact ${artifactPath}`)
    return Buffer.from(content)
  }

  async searchRegisteredModels(filter?: string): Promise<RegisteredModel[]> {
    this.enter('searchRegisteredModels')
    const name = /^name\s*=\s*'(.*)'$/.exec(filter?.trim() ?? '')?.[1]
    return [...this.models.values()].filter((model) => name === undefined || model.name === name).map((model) => this.modelView(model))
  }

  async getRegisteredModel(name: string): Promise<RegisteredModel> {
    this.enter('getRegisteredModel')
    return this.modelView(this.model(name))
  }

  async ensureRegisteredModel(name: string, options: {description?: string; tags?: KeyValue[]} = {}): Promise<RegisteredModel> {
    this.enter('ensureRegisteredModel')
    if (!this.models.has(name)) {
      this.models.set(name, {
        name,
        description: options.description,
        createdAt: this.tick(),
        tags: new Map((options.tags ?? []).map((tag) => [tag.key, tag.value])),
        aliases: new Map(),
        versions: new Map(),
        lastVersion: 0,
      })
    }

    return this.modelView(this.model(name))
  }

  async searchModelVersions(filter: string): Promise<ModelVersion[]> {
    this.enter('searchModelVersions')
    const name = /^name\s*=\s*'(.*)'$/.exec(filter.trim())?.[1]?.replace(/\\'/g, "'")
    const models = [...this.models.values()].filter((model) => name === undefined || model.name === name)
    return models.flatMap((model) => [...model.versions.values()].map((version) => this.versionView(model, version)))
  }

  async getModelVersion(name: string, version: string): Promise<ModelVersion> {
    this.enter('getModelVersion')
    const model = this.model(name)
    return this.versionView(model, this.version(model, version))
  }

  async createModelVersion(request: CreateModelVersionRequest): Promise<ModelVersion> {
    this.enter('createModelVersion')
    const model = this.model(request.name)
    const number = String(++model.lastVersion)
    const now = this.tick()
    const stored = {
      name: model.name,
      version: number,
      creation_timestamp: now,
      last_updated_timestamp: now,
      current_stage: 'None',
      description: request.description,
      source: request.source,
      run_id: request.runId,
      status: 'READY',
      tagMap: new Map((request.tags ?? []).map((tag) => [tag.key, tag.value])),
    }
    model.versions.set(number, stored)
    return this.versionView(model, stored)
  }

  async deleteModelVersion(name: string, version: string): Promise<void> {
    this.enter('deleteModelVersion')
    const model = this.model(name)
    this.version(model, version)
    model.versions.delete(version)
    for (const [alias, target] of model.aliases) if (target === version) model.aliases.delete(alias)
  }

  async setModelAlias(name: string, alias: string, version: string): Promise<void> {
    this.enter('setModelAlias')
    const model = this.model(name)
    this.version(model, version)
    model.aliases.set(alias, version)
  }

  async deleteModelAlias(name: string, alias: string): Promise<void> {
    this.enter('deleteModelAlias')
    this.model(name).aliases.delete(alias)
  }

  async setRegisteredModelTag(name: string, key: string, value: string): Promise<void> {
    this.enter('setRegisteredModelTag')
    this.model(name).tags.set(key, value)
  }

  async deleteRegisteredModelTag(name: string, key: string): Promise<void> {
    this.enter('deleteRegisteredModelTag')
    const model = this.model(name)
    if (!model.tags.has(key)) throw notFound(`tag ${key} of registered model ${name}`)
    model.tags.delete(key)
  }

  async setModelVersionTag(name: string, version: string, key: string, value: string): Promise<void> {
    this.enter('setModelVersionTag')
    const model = this.model(name)
    const stored = this.version(model, version)
    stored.tagMap.set(key, value)
    stored.last_updated_timestamp = this.tick()
  }

  private enter(method: RegistryMethod): void {
    this.calls.push(method)
    const error = this.failing.get(method)
    if (error) throw error
  }

  private tick(): number {
    return (this.now += 1000)
  }

  private run(runId: string): StoredRun {
    const run = this.runs.get(runId)
    if (!run) throw notFound(`Run with id=${runId}`)
    return run
  }

  private model(name: string): StoredModel {
    const model = this.models.get(name)
    if (!model) throw notFound(`Registered Model with name=${name}`)
    return model
  }

  private version(model: StoredModel, version: string) {
    const stored = model.versions.get(String(version))
    if (!stored) throw notFound(`Model Version (name=${model.name}, version=${version})`)
    return stored
  }

  private modelView(model: StoredModel): RegisteredModel {
    const versions = [...model.versions.values()]
    return {
      name: model.name,
      creation_timestamp: model.createdAt,
      description: model.description,
      tags: entries(model.tags),
      aliases: [...model.aliases].map(([alias, version]) => ({alias, version})),
      latest_versions: versions.length > 0 ? [this.versionView(model, versions.at(-1)!)] : [],
    }
  }

  private versionView(model: StoredModel, stored: ModelVersion & {tagMap: Map<string, string>}): ModelVersion {
    const {tagMap, ...version} = stored
    const aliases = [...model.aliases].filter(([, target]) => target === stored.version).map(([alias]) => alias)
    return {...version, tags: entries(tagMap), aliases}
  }
}

function notFound(what: string): NotFoundError {
  return new NotFoundError(`MLflow: ${what} not found`, {code: 'TRACKING_NOT_FOUND'})
}

function entries(map: Map<string, string>): KeyValue[] {
  return [...map].map(([key, value]) => ({key, value}))
}

function view(run: StoredRun): Run {
  // Like MLflow's runs/get: the latest value of each metric.
  const latest = new Map<string, Metric>()
  for (const metric of run.metrics) {
    const seen = latest.get(metric.key)
    if (!seen || metric.step > seen.step || (metric.step === seen.step && metric.timestamp >= seen.timestamp)) latest.set(metric.key, metric)
  }

  return {
    info: {...run.info},
    data: {metrics: [...latest.values()].map((metric) => ({...metric})), params: entries(run.params), tags: entries(run.tags)},
  }
}

/** The part of MLflow's run filter syntax core uses: `tags.key = 'value'` clauses joined by AND. */
function matcher(filter: string | undefined): (tags: Map<string, string>) => boolean {
  if (!filter?.trim()) return () => true
  const clauses = filter.split(/\s+AND\s+/i).map((clause) => {
    const match = /^tags\.(`[^`]+`|[\w.]+)\s*=\s*'((?:[^'\\]|\\.)*)'$/.exec(clause.trim())
    if (!match) throw new Error(`FakeRegistry: unsupported filter clause ${clause}`)
    return {key: match[1]!.replace(/`/g, ''), value: match[2]!.replace(/\\'/g, "'")}
  })
  return (tags) => clauses.every((clause) => tags.get(clause.key) === clause.value)
}
