/**
 * The tracking port: what tradai's core needs from an experiment tracker, in tradai's own types.
 * The real adapter is `MlflowClient` (src/engines/mlflow/client.ts), which validates MLflow's REST
 * answers and returns these shapes; tests may hand in a fake. The record shapes keep MLflow's
 * field names (run_id, experiment_id, ...) because the stored records and `--json` outputs use them.
 */

export interface KeyValue {
  key: string
  value: string
}

/** One metric value to log. */
export interface Metric {
  key: string
  value: number
  /** ms since epoch */
  timestamp: number
  step: number
}

/** One logical batch of a run's metrics, params and tags (adapters split it as the server needs). */
export interface Batch {
  metrics: Metric[]
  params: KeyValue[]
  tags: KeyValue[]
}

export interface RunInfo {
  run_id: string
  experiment_id: string
  run_name?: string
  status?: string
  start_time?: number
  end_time?: number
  artifact_uri?: string
  lifecycle_stage?: string
}

/** A metric as read back from a run (the server may omit fields or hold a null value). */
export interface RunMetric {
  key: string
  value?: number | null
  timestamp?: number
  step?: number
}

export interface Run {
  info: RunInfo
  data: {metrics?: RunMetric[]; params?: KeyValue[]; tags?: KeyValue[]}
}

export interface FileInfo {
  path: string
  is_dir: boolean
  file_size?: number
}

export type RunStatus = 'RUNNING' | 'FINISHED' | 'FAILED' | 'KILLED'

export interface CreateRunRequest {
  experimentId: string
  runName?: string
  startTime: number
  user?: string
  tags: KeyValue[]
}

export interface SearchRunsRequest {
  experimentIds: string[]
  filter?: string
  maxResults?: number
  orderBy?: string[]
}

export interface UploadOptions {
  signal?: AbortSignal
  onProgress?: (sent: number, total: number) => void
}

export interface TrackingPort {
  /** The tracking server's address as configured (credentials never included in output). */
  readonly uri: string
  /** The tracker's UI page of a run. */
  runUrl(experimentId: string, runId: string): string
  /** The experiment's id; created when missing. */
  ensureExperiment(name: string, signal?: AbortSignal): Promise<string>
  searchRuns(request: SearchRunsRequest, signal?: AbortSignal): Promise<Run[]>
  createRun(request: CreateRunRequest, signal?: AbortSignal): Promise<Run>
  getRun(runId: string, signal?: AbortSignal): Promise<Run>
  /** Idempotent: repeating a batch leaves the run as one batch would. */
  logBatch(runId: string, batch: Batch, signal?: AbortSignal, onChunk?: (done: number, total: number) => void): Promise<void>
  /** Uploads one file to `<run artifacts>/<artifactPath>`; repeating it overwrites. */
  uploadArtifact(run: RunInfo, artifactPath: string, localFile: string, options?: UploadOptions): Promise<void>
  updateRun(runId: string, status: RunStatus, endTime?: number, signal?: AbortSignal): Promise<RunInfo>
}
