// The tracking port lives in src/core/ports/tracking.ts; re-exported here for one session so
// open branches that import it from this path still build.
export type {Batch, KeyValue, Metric, TrackingPort} from '../ports/tracking.js'

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
