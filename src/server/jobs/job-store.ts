import {appendFile, mkdir, readdir, readFile, rename, writeFile} from 'node:fs/promises'
import path from 'node:path'

import type {CoreEvent} from '../../core/events.js'

export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const
export type JobStatus = (typeof JOB_STATUSES)[number]
export const FINISHED: ReadonlySet<JobStatus> = new Set(['succeeded', 'failed', 'cancelled'])

/** The error document's inner object, as the CLI prints it under --json. */
export interface JobError {
  code: string
  message: string
  exitCode: number
  suggestions: string[]
  details?: Record<string, unknown>
}

/** What GET /v1/jobs/{id} answers; the same record is the job's file on disk. */
export interface JobRecord {
  id: string
  kind: string
  status: JobStatus
  createdAt: string
  startedAt: string | null
  finishedAt: string | null
  /** The request body as accepted (after validation). */
  request: unknown
  /** The document the CLI prints with --json (also for a failed check: the challenge report). */
  result?: unknown
  error?: JobError
}

/** One line of a job's event log: the core's own event, or a status change, numbered in order. */
export interface JobEvent {
  seq: number
  at: string
  event: CoreEvent | {type: 'status'; status: JobStatus}
}

/** Job ids are made here; anything else in a URL is refused before it touches the disk. */
export const JOB_ID_PATTERN = /^job-[0-9]{8}-[0-9]{6}-[0-9a-f]{8}$/

/**
 * Jobs on disk (`<dir>/<id>.json`, events in `<id>.events.ndjson`): a restarted server lists
 * what finished and knows what was cut off. Writes go through a rename, so a crash mid-write
 * leaves the previous version, never half a file.
 */
export class JobStore {
  constructor(readonly dir: string) {}

  async init(): Promise<void> {
    await mkdir(this.dir, {recursive: true})
  }

  async save(record: JobRecord): Promise<void> {
    const file = this.file(record.id)
    await writeFile(`${file}.tmp`, `${JSON.stringify(record)}\n`)
    await rename(`${file}.tmp`, file)
  }

  async load(id: string): Promise<JobRecord | undefined> {
    try {
      return JSON.parse(await readFile(this.file(id), 'utf8')) as JobRecord
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      throw error
    }
  }

  async all(): Promise<JobRecord[]> {
    const names = (await readdir(this.dir)).filter((name) => name.endsWith('.json') && JOB_ID_PATTERN.test(name.slice(0, -5)))
    const records = await Promise.all(names.map((name) => this.load(name.slice(0, -5))))
    return records.filter((record): record is JobRecord => record !== undefined)
  }

  async appendEvent(id: string, event: JobEvent): Promise<void> {
    await appendFile(this.eventsFile(id), `${JSON.stringify(event)}\n`)
  }

  async events(id: string): Promise<JobEvent[]> {
    try {
      const text = await readFile(this.eventsFile(id), 'utf8')
      return text
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as JobEvent)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
      throw error
    }
  }

  private file(id: string): string {
    return path.join(this.dir, `${id}.json`)
  }

  private eventsFile(id: string): string {
    return path.join(this.dir, `${id}.events.ndjson`)
  }
}
