import {TrackingError} from '../errors.js'
import type {CoreContext} from '../events.js'
import {CLIENT_RUN_ID_TAG, type TrackedRun} from './backtest-run.js'
import type {TrackingPort} from './port.js'

/** How far a run got on the server; saved after every step so a rerun skips what is done. */
export interface Journal {
  experimentId?: string
  runId?: string
  logged?: boolean
  artifacts: string[]
  finished?: boolean
}

export interface DeliverOptions {
  /** Persists the journal (the outbox writes it to disk; a live run keeps it in memory). */
  save: (journal: Journal) => Promise<void>
  /** Resolves an artifact's `file` (outbox entries hold relative paths). */
  resolveFile?: (file: string) => string
  stage?: string
  /** A run id never sent before (the live path): skip the search for an earlier attempt. */
  fresh?: boolean
}

/** Artifacts upload side by side: a handful of small files costs one round trip, not seven. */
const UPLOAD_CONCURRENCY = 4

/**
 * Logs one run, resumable and idempotent: the run is created with its client run id tag and
 * looked up by that tag before any create, so however often this is repeated or interrupted
 * there is one MLflow run. Metrics carry fixed timestamps, so a repeated batch adds nothing.
 */
export async function deliverRun(port: TrackingPort, run: TrackedRun, journal: Journal, options: DeliverOptions, ctx: CoreContext): Promise<{experimentId: string; runId: string}> {
  const {signal} = ctx
  // Journal writes in order, one at a time, even while uploads finish concurrently.
  let saving = Promise.resolve()
  const save = async () => {
    saving = saving.then(() => options.save(journal))
    await saving
  }

  if (!journal.experimentId) {
    journal.experimentId = await port.ensureExperiment(run.experimentName, signal)
    await save()
  }

  const experimentId = journal.experimentId
  let info
  if (journal.runId) info = (await port.getRun(journal.runId, signal)).info
  else {
    const found = options.fresh
      ? []
      : await port.searchRuns({experimentIds: [experimentId], filter: `tags.\`${CLIENT_RUN_ID_TAG}\` = '${run.clientRunId.replace(/'/g, "\\'")}'`, maxResults: 2}, signal)
    if (found.length > 1) {
      throw new TrackingError(`MLflow holds ${found.length} runs tagged ${CLIENT_RUN_ID_TAG}=${run.clientRunId}; expected at most one.`, {
        code: 'TRACKING_DUPLICATE_RUN',
        suggestions: ['Delete the extra run in the MLflow UI, then run `tradai tracking sync` again.'],
      })
    }

    info =
      found[0]?.info ??
      (
        await port.createRun(
          {
            experimentId,
            runName: run.runName,
            startTime: run.startTime,
            user: run.user,
            // The id tag is part of the create itself: there is no moment the run exists without it.
            tags: [{key: CLIENT_RUN_ID_TAG, value: run.clientRunId}, ...run.tags.filter((tag) => tag.key === 'mlflow.runName')],
          },
          signal,
        )
      ).info
    journal.runId = info.run_id
    await save()
  }

  const runId = info.run_id
  const stage = options.stage ?? 'tracking'
  if (!journal.logged) {
    await port.logBatch(runId, {params: run.params, metrics: run.metrics, tags: run.tags}, signal, (done, total) =>
      ctx.onEvent({type: 'progress', stage, current: done, total, message: 'params, metrics, tags'}),
    )
    journal.logged = true
    await save()
  }

  const pending = run.artifacts.filter((artifact) => !journal.artifacts.includes(artifact.path))
  let uploaded = 0
  const queue = [...pending]
  const worker = async () => {
    for (let artifact = queue.shift(); artifact; artifact = queue.shift()) {
      await port.uploadArtifact(info, artifact.path, options.resolveFile ? options.resolveFile(artifact.file) : artifact.file, {signal})
      journal.artifacts.push(artifact.path)
      await save()
      ctx.onEvent({type: 'progress', stage, current: ++uploaded, total: pending.length, message: artifact.path})
    }
  }

  await Promise.all(Array.from({length: Math.min(UPLOAD_CONCURRENCY, pending.length)}, worker))

  if (!journal.finished) {
    await port.updateRun(runId, 'FINISHED', run.endTime, signal)
    journal.finished = true
    await save()
  }

  return {experimentId, runId}
}
