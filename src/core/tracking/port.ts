import type {MlflowClient} from '../../engines/mlflow/client.js'

/**
 * What tracking needs from MLflow. The real adapter is `MlflowClient`; tests may hand in a
 * fake with the same shape for error paths.
 */
export type TrackingPort = Pick<
  MlflowClient,
  'uri' | 'runUrl' | 'ensureExperiment' | 'searchRuns' | 'createRun' | 'getRun' | 'logBatch' | 'uploadArtifact' | 'updateRun'
>

export type {Batch, KeyValue, Metric} from '../../engines/mlflow/batch.js'

/** Where a backtest's record went; `--json` carries it as `tracking`. */
export interface TrackingOutcome {
  status: 'logged' | 'queued' | 'disabled'
  runId: string | null
  experimentId: string | null
  /** The run's page in the MLflow UI (null unless logged). */
  url: string | null
  /** Why it was queued (the server's answer or the connection error). */
  reason?: string
  /** The outbox entry holding the run until `tradai tracking sync`. */
  outboxEntry?: string
}
