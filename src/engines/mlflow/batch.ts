/** MLflow's REST limits for `runs/log-batch` (mlflow/utils/validation.py). */
export const LOG_BATCH_LIMITS = {metrics: 1000, params: 100, tags: 100, total: 1000, paramValue: 6000, tagValue: 8000} as const

import type {Batch} from '../../core/ports/tracking.js'

export type {Batch, KeyValue, Metric} from '../../core/ports/tracking.js'

/**
 * Splits one logical batch into requests MLflow accepts: ≤100 params, ≤100 tags, ≤1000 metrics
 * and ≤1000 entities per request. Params and tags go first so a run's identity lands early.
 * Over-long values are cut (MLflow rejects them outright) and marked with an ellipsis.
 */
export function chunkBatch(batch: Batch): Batch[] {
  const params = batch.params.map((p) => ({key: p.key, value: clip(p.value, LOG_BATCH_LIMITS.paramValue)}))
  const tags = batch.tags.map((t) => ({key: t.key, value: clip(t.value, LOG_BATCH_LIMITS.tagValue)}))
  const metrics = [...batch.metrics]
  const chunks: Batch[] = []
  while (params.length > 0 || tags.length > 0 || metrics.length > 0) {
    const chunkParams = params.splice(0, LOG_BATCH_LIMITS.params)
    const chunkTags = tags.splice(0, LOG_BATCH_LIMITS.tags)
    const room = Math.min(LOG_BATCH_LIMITS.metrics, LOG_BATCH_LIMITS.total - chunkParams.length - chunkTags.length)
    chunks.push({params: chunkParams, tags: chunkTags, metrics: metrics.splice(0, room)})
  }

  return chunks
}

function clip(value: string, limit: number): string {
  return value.length <= limit ? value : `${value.slice(0, limit - 1)}…`
}
