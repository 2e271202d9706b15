import type {FileInfo, KeyValue, RunInfo, TrackingPort} from './tracking.js'

/**
 * The model-registry port: registered models (one per strategy), their versions, aliases and
 * tags, in tradai's own types. Registration, challenge and audit records are ordinary runs, so the
 * registry port includes the tracking port. The real adapter is `MlflowClient`.
 */

export interface ModelVersion {
  name: string
  version: string
  creation_timestamp?: number
  last_updated_timestamp?: number
  current_stage?: string
  description?: string
  source?: string
  run_id?: string
  status?: string
  tags?: KeyValue[]
  aliases?: string[]
}

export interface RegisteredModel {
  name: string
  creation_timestamp?: number
  last_updated_timestamp?: number
  description?: string
  latest_versions?: ModelVersion[]
  tags?: KeyValue[]
  aliases?: Array<{alias: string; version: string}>
}

export interface CreateModelVersionRequest {
  name: string
  source: string
  runId?: string
  description?: string
  tags?: KeyValue[]
}

export interface RegistryPort extends TrackingPort {
  listArtifacts(run: RunInfo, path?: string, signal?: AbortSignal): Promise<FileInfo[]>
  downloadArtifact(run: RunInfo, artifactPath: string, signal?: AbortSignal): Promise<Buffer>
  searchRegisteredModels(filter?: string, signal?: AbortSignal): Promise<RegisteredModel[]>
  getRegisteredModel(name: string, signal?: AbortSignal): Promise<RegisteredModel>
  /** The model; created (with these tags) when missing. */
  ensureRegisteredModel(name: string, options?: {description?: string; tags?: KeyValue[]}, signal?: AbortSignal): Promise<RegisteredModel>
  searchModelVersions(filter: string, signal?: AbortSignal): Promise<ModelVersion[]>
  getModelVersion(name: string, version: string, signal?: AbortSignal): Promise<ModelVersion>
  createModelVersion(request: CreateModelVersionRequest, signal?: AbortSignal): Promise<ModelVersion>
  deleteModelVersion(name: string, version: string, signal?: AbortSignal): Promise<void>
  setModelAlias(name: string, alias: string, version: string, signal?: AbortSignal): Promise<void>
  deleteModelAlias(name: string, alias: string, signal?: AbortSignal): Promise<void>
  setRegisteredModelTag(name: string, key: string, value: string, signal?: AbortSignal): Promise<void>
  deleteRegisteredModelTag(name: string, key: string, signal?: AbortSignal): Promise<void>
  setModelVersionTag(name: string, version: string, key: string, value: string, signal?: AbortSignal): Promise<void>
}
