import {createReadStream} from 'node:fs'
import {stat} from 'node:fs/promises'
import * as z from 'zod'

import {TrackingError} from '../../core/errors.js'
import type {RegistryPort} from '../../core/ports/registry.js'
import type {CreateRunRequest, SearchRunsRequest} from '../../core/ports/tracking.js'
import {chunkBatch, type Batch, type KeyValue, type Metric} from './batch.js'
import {isMlflowError, MlflowHttp, type MlflowConnection} from './http.js'
import {
  empty,
  experimentSchema,
  fileInfoSchema,
  modelVersionSchema,
  registeredModelSchema,
  runInfoSchema,
  runSchema,
  type Experiment,
  type FileInfo,
  type ModelVersion,
  type RegisteredModel,
  type Run,
  type RunInfo,
} from './schemas.js'

const API = '/api/2.0/mlflow'
const ARTIFACTS = '/api/2.0/mlflow-artifacts/artifacts'
const PAGE = 1000

export type {CreateRunRequest, SearchRunsRequest} from '../../core/ports/tracking.js'

/**
 * A thin typed client for MLflow's REST API (2.0 routes, as served by MLflow 2.x and 3.x).
 * Reads and idempotent writes retry on connection errors and 5xx; creates do not (callers make
 * them safe: experiments by RESOURCE_ALREADY_EXISTS, runs by a client run id tag).
 */
export class MlflowClient implements RegistryPort {
  readonly http: MlflowHttp

  constructor(connection: MlflowConnection) {
    this.http = new MlflowHttp(connection)
  }

  get uri(): string {
    return this.http.uri
  }

  /** The MLflow UI page of a run. */
  runUrl(experimentId: string, runId: string): string {
    return `${this.uri}/#/experiments/${experimentId}/runs/${runId}`
  }

  async version(signal?: AbortSignal): Promise<string> {
    const response = await this.http.raw({method: 'GET', url: '/version', responseType: 'text'}, true, signal)
    const text = String(response.data).trim()
    if (!/^\d+\.\d+/.test(text)) throw new TrackingError(`MLflow at ${this.uri} answered /version with "${text.slice(0, 60)}", not a version.`, {code: 'TRACKING_MALFORMED'})
    return text
  }

  // --- experiments -----------------------------------------------------------------------------

  async getExperimentByName(name: string, signal?: AbortSignal): Promise<Experiment | undefined> {
    try {
      const answer = await this.http.call({
        method: 'GET',
        path: `${API}/experiments/get-by-name`,
        params: {experiment_name: name},
        idempotent: true,
        schema: z.looseObject({experiment: experimentSchema}),
        signal,
      })
      return answer.experiment
    } catch (error) {
      if (isMlflowError(error, 'RESOURCE_DOES_NOT_EXIST')) return undefined
      throw error
    }
  }

  async createExperiment(name: string, tags: KeyValue[] = [], signal?: AbortSignal): Promise<string> {
    const answer = await this.http.call({
      method: 'POST',
      path: `${API}/experiments/create`,
      body: {name, tags},
      idempotent: false,
      schema: z.looseObject({experiment_id: z.string()}),
      signal,
    })
    return answer.experiment_id
  }

  /** The experiment's id, creating it if needed; a concurrent creator is not an error. */
  async ensureExperiment(name: string, signal?: AbortSignal): Promise<string> {
    const existing = await this.getExperimentByName(name, signal)
    if (existing) {
      if (existing.lifecycle_stage === 'deleted') {
        throw new TrackingError(`MLflow experiment "${name}" is deleted; its name cannot be reused.`, {
          code: 'TRACKING_EXPERIMENT_DELETED',
          suggestions: ['Restore it in the MLflow UI, or choose another name (tracking.experimentName).'],
        })
      }

      return existing.experiment_id
    }

    try {
      return await this.createExperiment(name, [], signal)
    } catch (error) {
      if (!isMlflowError(error, 'RESOURCE_ALREADY_EXISTS')) throw error
      const raced = await this.getExperimentByName(name, signal)
      if (!raced) throw error
      return raced.experiment_id
    }
  }

  // --- runs --------------------------------------------------------------------------------------

  async createRun(request: CreateRunRequest, signal?: AbortSignal): Promise<Run> {
    const answer = await this.http.call({
      method: 'POST',
      path: `${API}/runs/create`,
      body: {
        experiment_id: request.experimentId,
        run_name: request.runName,
        start_time: request.startTime,
        user_id: request.user,
        tags: request.tags,
      },
      idempotent: false,
      schema: z.looseObject({run: runSchema}),
      signal,
    })
    return answer.run
  }

  async updateRun(runId: string, status: 'RUNNING' | 'FINISHED' | 'FAILED' | 'KILLED', endTime?: number, signal?: AbortSignal): Promise<RunInfo> {
    const answer = await this.http.call({
      method: 'POST',
      path: `${API}/runs/update`,
      body: {run_id: runId, status, end_time: endTime},
      idempotent: true,
      schema: z.looseObject({run_info: runInfoSchema}),
      signal,
    })
    return answer.run_info
  }

  async getRun(runId: string, signal?: AbortSignal): Promise<Run> {
    const answer = await this.http.call({
      method: 'GET',
      path: `${API}/runs/get`,
      params: {run_id: runId},
      idempotent: true,
      schema: z.looseObject({run: runSchema}),
      signal,
    })
    return answer.run
  }

  /** Every value logged for one metric (a step series such as the equity curve). */
  async metricHistory(runId: string, key: string, signal?: AbortSignal): Promise<Metric[]> {
    const answer = await this.http.call({
      method: 'GET',
      path: `${API}/metrics/get-history`,
      params: {run_id: runId, metric_key: key, max_results: 25_000},
      idempotent: true,
      schema: z.looseObject({metrics: z.array(z.looseObject({key: z.string(), value: z.number(), timestamp: z.coerce.number(), step: z.coerce.number()})).optional()}),
      signal,
    })
    return (answer.metrics ?? []).map(({key: metricKey, value, timestamp, step}) => ({key: metricKey, value, timestamp, step}))
  }

  /** All matching runs (pages followed). */
  async searchRuns(request: SearchRunsRequest, signal?: AbortSignal): Promise<Run[]> {
    const runs: Run[] = []
    let pageToken: string | undefined
    do {
      const answer = await this.http.call({
        method: 'POST',
        path: `${API}/runs/search`,
        body: {
          experiment_ids: request.experimentIds,
          filter: request.filter,
          max_results: Math.min(request.maxResults ?? PAGE, PAGE),
          order_by: request.orderBy,
          page_token: pageToken,
        },
        // A search changes nothing: safe to retry.
        idempotent: true,
        schema: z.looseObject({runs: z.array(runSchema).optional(), next_page_token: z.string().optional()}),
        signal,
      })
      runs.push(...(answer.runs ?? []))
      pageToken = answer.next_page_token || undefined
    } while (pageToken && (request.maxResults === undefined || runs.length < request.maxResults))
    return runs
  }

  /**
   * Logs params, tags and metrics in as many requests as MLflow's limits need. Retried: the SQL
   * store ignores a metric logged twice with the same key, value, timestamp and step, a param
   * with the same value, and a tag is just set again.
   */
  async logBatch(runId: string, batch: Batch, signal?: AbortSignal, onChunk?: (done: number, total: number) => void): Promise<void> {
    const chunks = chunkBatch(batch)
    for (const [index, chunk] of chunks.entries()) {
      await this.http.call({
        method: 'POST',
        path: `${API}/runs/log-batch`,
        body: {run_id: runId, ...chunk},
        idempotent: true,
        schema: empty,
        signal,
      })
      onChunk?.(index + 1, chunks.length)
    }
  }

  async setTag(runId: string, key: string, value: string, signal?: AbortSignal): Promise<void> {
    await this.http.call({method: 'POST', path: `${API}/runs/set-tag`, body: {run_id: runId, key, value}, idempotent: true, schema: empty, signal})
  }

  // --- artifacts (through the server's mlflow-artifacts proxy) ----------------------------------

  /**
   * Uploads one file to `<run artifacts>/<artifactPath>`, streamed; `onProgress` gets bytes sent.
   * PUT overwrites, so repeating an upload is safe.
   */
  async uploadArtifact(
    run: RunInfo,
    artifactPath: string,
    localFile: string,
    options: {signal?: AbortSignal; onProgress?: (sent: number, total: number) => void} = {},
  ): Promise<void> {
    const {size} = await stat(localFile)
    // No fixed deadline (big files take long) but no progress for timeoutMs is a server that hangs.
    const stall = new AbortController()
    let timer: NodeJS.Timeout | undefined
    const arm = () => {
      clearTimeout(timer)
      timer = setTimeout(() => stall.abort(), this.http.timeoutMs)
    }

    const onAbort = () => stall.abort()
    options.signal?.addEventListener('abort', onAbort, {once: true})
    arm()
    try {
      await this.http.raw(
        {
          method: 'PUT',
          url: `${ARTIFACTS}/${encodePath(`${proxyRoot(run, this.uri)}/${artifactPath}`)}`,
          // A fresh stream per attempt: a retried upload must start from byte 0.
          data: size === 0 ? Buffer.alloc(0) : createReadStream(localFile),
          headers: {'Content-Type': 'application/octet-stream', 'Content-Length': String(size)},
          timeout: 0,
          maxBodyLength: Number.POSITIVE_INFINITY,
          maxContentLength: Number.POSITIVE_INFINITY,
          onUploadProgress: (event) => {
            arm()
            options.onProgress?.(event.loaded, size)
          },
          signal: stall.signal,
        },
        // A stream cannot be replayed by axios; a failed upload is retried by the caller (the outbox).
        false,
        options.signal,
      )
    } catch (error) {
      if (stall.signal.aborted && !options.signal?.aborted) {
        throw new TrackingError(`MLflow at ${this.uri} did not answer in time (upload of ${artifactPath}: nothing for ${Math.round(this.http.timeoutMs / 1000)} s).`, {
          code: 'TRACKING_UNREACHABLE',
          details: {uri: this.uri, reason: 'timeout'},
          suggestions: ['Check the server (or raise tracking.timeoutSeconds); the run is kept in the outbox until `tradai tracking sync`.'],
        })
      }

      throw error
    } finally {
      clearTimeout(timer)
      options.signal?.removeEventListener('abort', onAbort)
    }
  }

  /** Files and folders directly under `path` (relative to the run's artifact root). */
  async listArtifacts(run: RunInfo, path = '', signal?: AbortSignal): Promise<FileInfo[]> {
    const root = proxyRoot(run, this.uri)
    const answer = await this.http.call({
      method: 'GET',
      path: ARTIFACTS,
      params: {path: path ? `${root}/${path}` : root},
      idempotent: true,
      schema: z.looseObject({files: z.array(fileInfoSchema).optional()}),
      signal,
    })
    // The proxy answers with names relative to the listed folder; make them relative to the root.
    return (answer.files ?? []).map((file) => ({...file, path: path ? `${path}/${file.path}` : file.path}))
  }

  async downloadArtifact(run: RunInfo, artifactPath: string, signal?: AbortSignal): Promise<Buffer> {
    const response = await this.http.raw(
      {method: 'GET', url: `${ARTIFACTS}/${encodePath(`${proxyRoot(run, this.uri)}/${artifactPath}`)}`, responseType: 'arraybuffer'},
      true,
      signal,
    )
    return Buffer.from(response.data as ArrayBuffer)
  }

  // --- model registry ----------------------------------------------------------------------------

  async createRegisteredModel(name: string, options: {description?: string; tags?: KeyValue[]} = {}, signal?: AbortSignal): Promise<RegisteredModel> {
    const answer = await this.http.call({
      method: 'POST',
      path: `${API}/registered-models/create`,
      body: {name, description: options.description, tags: options.tags ?? []},
      idempotent: false,
      schema: z.looseObject({registered_model: registeredModelSchema}),
      signal,
    })
    return answer.registered_model
  }

  async getRegisteredModel(name: string, signal?: AbortSignal): Promise<RegisteredModel> {
    const answer = await this.http.call({
      method: 'GET',
      path: `${API}/registered-models/get`,
      params: {name},
      idempotent: true,
      schema: z.looseObject({registered_model: registeredModelSchema}),
      signal,
    })
    return answer.registered_model
  }

  /** The model, created if it does not exist yet (a concurrent creator is fine). */
  async ensureRegisteredModel(name: string, options: {description?: string; tags?: KeyValue[]} = {}, signal?: AbortSignal): Promise<RegisteredModel> {
    try {
      return await this.createRegisteredModel(name, options, signal)
    } catch (error) {
      if (!isMlflowError(error, 'RESOURCE_ALREADY_EXISTS')) throw error
      return this.getRegisteredModel(name, signal)
    }
  }

  async searchRegisteredModels(filter?: string, signal?: AbortSignal): Promise<RegisteredModel[]> {
    const models: RegisteredModel[] = []
    let pageToken: string | undefined
    do {
      const answer = await this.http.call({
        method: 'GET',
        path: `${API}/registered-models/search`,
        params: {filter, max_results: PAGE, page_token: pageToken},
        idempotent: true,
        schema: z.looseObject({registered_models: z.array(registeredModelSchema).optional(), next_page_token: z.string().optional()}),
        signal,
      })
      models.push(...(answer.registered_models ?? []))
      pageToken = answer.next_page_token || undefined
    } while (pageToken)
    return models
  }

  async createModelVersion(request: {name: string; source: string; runId?: string; description?: string; tags?: KeyValue[]}, signal?: AbortSignal): Promise<ModelVersion> {
    const answer = await this.http.call({
      method: 'POST',
      path: `${API}/model-versions/create`,
      body: {name: request.name, source: request.source, run_id: request.runId, description: request.description, tags: request.tags ?? []},
      idempotent: false,
      schema: z.looseObject({model_version: modelVersionSchema}),
      signal,
    })
    return answer.model_version
  }

  async deleteModelVersion(name: string, version: string, signal?: AbortSignal): Promise<void> {
    await this.http.call({method: 'DELETE', path: `${API}/model-versions/delete`, body: {name, version}, idempotent: true, schema: empty, signal})
  }

  async getModelVersion(name: string, version: string, signal?: AbortSignal): Promise<ModelVersion> {
    const answer = await this.http.call({
      method: 'GET',
      path: `${API}/model-versions/get`,
      params: {name, version},
      idempotent: true,
      schema: z.looseObject({model_version: modelVersionSchema}),
      signal,
    })
    return answer.model_version
  }

  async searchModelVersions(filter: string, signal?: AbortSignal): Promise<ModelVersion[]> {
    const versions: ModelVersion[] = []
    let pageToken: string | undefined
    do {
      const answer = await this.http.call({
        method: 'GET',
        path: `${API}/model-versions/search`,
        params: {filter, max_results: PAGE, page_token: pageToken},
        idempotent: true,
        schema: z.looseObject({model_versions: z.array(modelVersionSchema).optional(), next_page_token: z.string().optional()}),
        signal,
      })
      versions.push(...(answer.model_versions ?? []))
      pageToken = answer.next_page_token || undefined
    } while (pageToken)
    return versions
  }

  async setModelAlias(name: string, alias: string, version: string, signal?: AbortSignal): Promise<void> {
    await this.http.call({method: 'POST', path: `${API}/registered-models/alias`, body: {name, alias, version}, idempotent: true, schema: empty, signal})
  }

  async deleteModelAlias(name: string, alias: string, signal?: AbortSignal): Promise<void> {
    // MLflow reads DELETE parameters from the JSON body, not the query string.
    await this.http.call({method: 'DELETE', path: `${API}/registered-models/alias`, body: {name, alias}, idempotent: true, schema: empty, signal})
  }

  async getModelVersionByAlias(name: string, alias: string, signal?: AbortSignal): Promise<ModelVersion> {
    const answer = await this.http.call({
      method: 'GET',
      path: `${API}/registered-models/alias`,
      params: {name, alias},
      idempotent: true,
      schema: z.looseObject({model_version: modelVersionSchema}),
      signal,
    })
    return answer.model_version
  }

  async setRegisteredModelTag(name: string, key: string, value: string, signal?: AbortSignal): Promise<void> {
    await this.http.call({method: 'POST', path: `${API}/registered-models/set-tag`, body: {name, key, value}, idempotent: true, schema: empty, signal})
  }

  async deleteRegisteredModelTag(name: string, key: string, signal?: AbortSignal): Promise<void> {
    await this.http.call({method: 'DELETE', path: `${API}/registered-models/delete-tag`, body: {name, key}, idempotent: true, schema: empty, signal})
  }

  async setModelVersionTag(name: string, version: string, key: string, value: string, signal?: AbortSignal): Promise<void> {
    await this.http.call({
      method: 'POST',
      path: `${API}/model-versions/set-tag`,
      body: {name, version, key, value},
      idempotent: true,
      schema: empty,
      signal,
    })
  }
}

/**
 * The run's artifact root as a path under the proxy: `mlflow-artifacts:/1/<run>/artifacts` →
 * `1/<run>/artifacts`. Any other scheme means the server does not proxy artifacts.
 */
export function proxyRoot(run: RunInfo, uri: string): string {
  const artifactUri = run.artifact_uri ?? ''
  const match = /^mlflow-artifacts:(?:\/\/[^/]*)?\/?(.*)$/.exec(artifactUri)
  if (!match) {
    throw new TrackingError(`MLflow at ${uri} stores run ${run.run_id}'s artifacts at "${artifactUri}", which tradai cannot reach through the server.`, {
      code: 'TRACKING_NO_ARTIFACT_PROXY',
      suggestions: ['Run the server with --serve-artifacts (the default of `mlflow server`; `tradai tracking start` does) and a default artifact root of mlflow-artifacts:/.'],
    })
  }

  return match[1]!.replace(/\/+$/, '')
}

function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/')
}
