import {randomBytes} from 'node:crypto'

import {InterruptedError, TradaiError, toTradaiError} from '../../core/errors.js'
import type {CoreContext, CoreEvent} from '../../core/events.js'
import {errorJson} from '../../cli/render-error.js'
import {FINISHED, type JobError, type JobEvent, type JobRecord, type JobStatus, JobStore} from './job-store.js'

/** What a job's work returns: the result document, and the error when it is a failed check. */
export interface JobOutcome {
  result: unknown
  error?: TradaiError
}

export type JobWork = (ctx: CoreContext) => Promise<JobOutcome>

/** DELETE /v1/jobs/{id}: the abort reason the core call sees (its engine tree is stopped). */
export class JobCancelledError extends TradaiError {
  constructor(id: string) {
    super('CANCELLED', 130, `Job ${id} was cancelled (DELETE /v1/jobs/${id}); its engine processes were stopped.`)
  }
}

interface LiveJob {
  record: JobRecord
  work: JobWork
  controller: AbortController
  events: JobEvent[]
  listeners: Set<(event: JobEvent) => void>
  /** Disk writes of this job, in order. */
  persisted: Promise<void>
  done: Promise<void>
  settle: () => void
}

export type JobListener = (event: JobEvent) => void

/**
 * Jobs for long work (backtests, hyperopt, challenges): a bounded pool runs `maxConcurrent` at
 * once, the rest wait in order. Every job and its events go to disk as they happen; finished
 * results are read back from disk, so memory holds only what is still running or queued.
 */
export class JobManager {
  private readonly live = new Map<string, LiveJob>()
  private readonly finished = new Map<string, Pick<JobRecord, 'id' | 'kind' | 'status' | 'createdAt' | 'finishedAt'>>()
  private readonly queue: LiveJob[] = []
  private running = 0
  private accepting = true

  constructor(
    private readonly store: JobStore,
    private readonly maxConcurrent: number,
  ) {}

  /** Loads the jobs on disk; those a previous server left queued or running are marked failed. */
  async init(): Promise<{restored: number; interrupted: number}> {
    await this.store.init()
    let interrupted = 0
    const records = await this.store.all()
    for (const record of records) {
      if (!FINISHED.has(record.status)) {
        interrupted += 1
        record.error = {
          code: 'INTERRUPTED',
          message: `The server stopped while this job was ${record.status}; it did not finish. Submit it again.`,
          exitCode: 143,
          suggestions: ['POST the same request again: the job is not resumed on its own.'],
        }
        record.status = 'failed'
        record.finishedAt = new Date().toISOString()
        await this.store.save(record)
      }

      this.finished.set(record.id, summary(record))
    }

    return {restored: records.length, interrupted}
  }

  get counts(): {running: number; queued: number} {
    return {running: this.running, queued: this.queue.length}
  }

  submit(kind: string, request: unknown, work: JobWork): JobRecord {
    if (!this.accepting)
      throw new TradaiError('SHUTTING_DOWN', 4, 'The server is shutting down and takes no new jobs.', {suggestions: ['Retry against another instance or after the restart.']})
    const record: JobRecord = {id: newJobId(), kind, status: 'queued', createdAt: new Date().toISOString(), startedAt: null, finishedAt: null, request}
    let settle!: () => void
    const done = new Promise<void>((resolve) => (settle = resolve))
    const job: LiveJob = {record, work, controller: new AbortController(), events: [], listeners: new Set(), persisted: Promise.resolve(), done, settle}
    this.live.set(record.id, job)
    this.persist(job)
    this.queue.push(job)
    this.pump()
    return {...record}
  }

  /** The job's record (with its result once finished), or undefined for an unknown id. */
  async get(id: string): Promise<JobRecord | undefined> {
    const job = this.live.get(id)
    if (job) return {...job.record}
    return this.finished.has(id) ? this.store.load(id) : undefined
  }

  list(): Array<Pick<JobRecord, 'id' | 'kind' | 'status' | 'createdAt' | 'finishedAt'>> {
    return [...[...this.live.values()].map((job) => summary(job.record)), ...this.finished.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt))
  }

  /**
   * Past events, then live ones until the job ends (`onEnd`). Returns an unsubscribe function,
   * or undefined for an unknown id.
   */
  async subscribe(id: string, listener: JobListener, onEnd: (status: JobStatus) => void): Promise<(() => void) | undefined> {
    const job = this.live.get(id)
    if (!job) {
      const record = this.finished.get(id)
      if (!record) return undefined
      for (const event of await this.store.events(id)) listener(event)
      onEnd(record.status)
      return () => {}
    }

    for (const event of job.events) listener(event)
    job.listeners.add(listener)
    void job.done.then(() => {
      job.listeners.delete(listener)
      onEnd(job.record.status)
    })
    return () => job.listeners.delete(listener)
  }

  /** Cancels a queued or running job; undefined for an unknown id, the record as it is for a finished one. */
  async cancel(id: string): Promise<{record: JobRecord; cancelled: boolean} | undefined> {
    const job = this.live.get(id)
    if (!job) {
      const record = await this.get(id)
      return record ? {record, cancelled: false} : undefined
    }

    this.stop(job, new JobCancelledError(id))
    await job.done
    return {record: (await this.get(id))!, cancelled: true}
  }

  /**
   * Shutdown: no new jobs; queued ones never start; running ones get `graceMs` to finish,
   * then are stopped (their engine trees too). Resolves with how many had to be stopped.
   */
  async shutdown(graceMs: number, signal: 'SIGINT' | 'SIGTERM'): Promise<{stopped: number}> {
    this.accepting = false
    let stopped = 0
    for (const job of [...this.queue]) {
      stopped += 1
      this.stop(job, new InterruptedError(signal))
    }

    const running = [...this.live.values()].filter((job) => job.record.status === 'running')
    let timer: NodeJS.Timeout | undefined
    const graceOver = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))
    await Promise.race([Promise.all(running.map((job) => job.done)), graceOver])
    clearTimeout(timer)
    for (const job of running) {
      if (job.record.status === 'running') {
        stopped += 1
        this.stop(job, new InterruptedError(signal))
      }
    }

    await Promise.all(running.map((job) => job.done))
    await Promise.all(running.map((job) => job.persisted))
    return {stopped}
  }

  private stop(job: LiveJob, reason: TradaiError): void {
    const index = this.queue.indexOf(job)
    if (index !== -1) {
      this.queue.splice(index, 1)
      this.finish(job, reason instanceof JobCancelledError ? 'cancelled' : 'failed', undefined, interruptedError(reason))
      return
    }

    job.controller.abort(reason)
  }

  private pump(): void {
    while (this.running < this.maxConcurrent && this.queue.length > 0) {
      const job = this.queue.shift()!
      void this.start(job)
    }
  }

  private async start(job: LiveJob): Promise<void> {
    this.running += 1
    job.record.status = 'running'
    job.record.startedAt = new Date().toISOString()
    this.emit(job, {type: 'status', status: 'running'})
    this.persist(job)
    const ctx: CoreContext = {signal: job.controller.signal, onEvent: (event: CoreEvent) => this.emit(job, event)}
    try {
      const outcome = await job.work(ctx)
      if (job.controller.signal.aborted) throw job.controller.signal.reason
      this.finish(job, outcome.error ? 'failed' : 'succeeded', outcome.result, outcome.error ? jobError(outcome.error) : undefined)
    } catch (raw) {
      const reason: unknown = job.controller.signal.aborted ? job.controller.signal.reason : raw
      if (reason instanceof JobCancelledError) this.finish(job, 'cancelled', undefined, jobError(reason))
      else if (reason instanceof InterruptedError) this.finish(job, 'failed', undefined, interruptedError(reason))
      else this.finish(job, 'failed', undefined, jobError(toTradaiError(reason)))
    } finally {
      this.running -= 1
      this.pump()
    }
  }

  private finish(job: LiveJob, status: JobStatus, result: unknown, error: JobError | undefined): void {
    Object.assign(job.record, {status, finishedAt: new Date().toISOString()}, result === undefined ? {} : {result}, error ? {error} : {})
    this.emit(job, {type: 'status', status})
    this.persist(job)
    void job.persisted.then(() => {
      // Only now is the record on disk for get() to read back.
      this.live.delete(job.record.id)
      this.finished.set(job.record.id, summary(job.record))
      job.settle()
    })
  }

  private emit(job: LiveJob, event: JobEvent['event']): void {
    const entry: JobEvent = {seq: job.events.length + 1, at: new Date().toISOString(), event}
    job.events.push(entry)
    for (const listener of job.listeners) listener(entry)
    job.persisted = job.persisted.then(() => this.store.appendEvent(job.record.id, entry)).catch(() => {})
  }

  private persist(job: LiveJob): void {
    const snapshot = structuredClone(job.record)
    job.persisted = job.persisted.then(() => this.store.save(snapshot)).catch(() => {})
  }
}

function jobError(error: TradaiError): JobError {
  return errorJson(error).error as unknown as JobError
}

/** A job stopped by the server's shutdown says so, and that it was interrupted, not refused. */
function interruptedError(reason: TradaiError): JobError {
  if (!(reason instanceof InterruptedError)) return jobError(reason)
  return {
    code: 'INTERRUPTED',
    message: `The server shut down (${reason.signal}) before this job finished; it was stopped.`,
    exitCode: reason.exitCode,
    suggestions: ['POST the same request again: the job is not resumed on its own.'],
  }
}

function summary(record: JobRecord): Pick<JobRecord, 'id' | 'kind' | 'status' | 'createdAt' | 'finishedAt'> {
  return {id: record.id, kind: record.kind, status: record.status, createdAt: record.createdAt, finishedAt: record.finishedAt}
}

function newJobId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)
  return `job-${stamp}-${randomBytes(4).toString('hex')}`
}
