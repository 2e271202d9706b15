import * as z from 'zod'

import {NotFoundError, TradaiError} from '../../core/errors.js'
import type {JobEvent} from '../jobs/job-store.js'
import {JOB_STATUSES} from '../jobs/job-store.js'
import {errorDocument, jobParams} from '../schemas.js'
import type {Service} from '../service.js'
import {typed, type App} from './route-kit.js'

const jobRecord = z.object({
  id: z.string(),
  kind: z.string(),
  status: z.enum(JOB_STATUSES),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  request: z.unknown(),
  result: z.unknown().optional().describe('The document the CLI prints with --json.'),
  error: errorDocument.shape.error.optional(),
})

function unknownJob(id: string): NotFoundError {
  return new NotFoundError(`No job ${id}.`, {code: 'JOB_NOT_FOUND', suggestions: ['GET /v1/jobs lists the jobs this server knows.']})
}

/** SSE clients still streaming: ended when the server shuts down, so close() does not wait on them. */
export const openStreams = new Set<{end: () => void}>()

export function jobRoutes(app: App, service: Service): void {
  const api = typed(app)
  const errors = {'4xx': errorDocument, '5xx': errorDocument}

  api.get(
    '/v1/jobs',
    {schema: {summary: 'Jobs this server knows (finished ones too, across restarts)', tags: ['jobs'], response: {200: z.object({jobs: z.array(jobRecord.partial())}), ...errors}}},
    async () => ({
      jobs: service.jobs.list(),
    }),
  )

  api.get(
    '/v1/jobs/:id',
    {schema: {summary: 'A job: status, times, and its result or error', tags: ['jobs'], params: jobParams, response: {200: jobRecord, ...errors}}},
    async (request) => {
      const record = await service.jobs.get(request.params.id)
      if (!record) throw unknownJob(request.params.id)
      return record
    },
  )

  api.delete(
    '/v1/jobs/:id',
    {
      schema: {
        summary: 'Cancel a queued or running job (its engine processes are stopped); 409 when it already finished',
        tags: ['jobs'],
        params: jobParams,
        response: {200: jobRecord, ...errors},
      },
    },
    async (request) => {
      const outcome = await service.jobs.cancel(request.params.id)
      if (!outcome) throw unknownJob(request.params.id)
      if (!outcome.cancelled) {
        throw new TradaiError('JOB_FINISHED', 1, `Job ${request.params.id} already finished (${outcome.record.status}); nothing to cancel.`, {
          details: {status: outcome.record.status},
        })
      }

      return outcome.record
    },
  )

  api.get(
    '/v1/jobs/:id/events',
    {schema: {summary: "Server-sent events: the core's progress events in order (id = sequence number), then `end` with the final status", tags: ['jobs'], params: jobParams}},
    async (request, reply) => {
      const {id} = request.params
      const write = (event: JobEvent) => reply.raw.write(`id: ${event.seq}\nevent: ${event.event.type}\ndata: ${JSON.stringify(event)}\n\n`)
      let headersSent = false
      const start = () => {
        if (headersSent) return
        headersSent = true
        reply.hijack()
        reply.raw.writeHead(200, {'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-job-id': id})
      }

      const stream = {end: () => reply.raw.end()}
      const unsubscribe = await service.jobs.subscribe(
        id,
        (event) => {
          start()
          write(event)
        },
        (status) => {
          start()
          reply.raw.write(`event: end\ndata: ${JSON.stringify({status})}\n\n`)
          openStreams.delete(stream)
          reply.raw.end()
        },
      )
      if (!unsubscribe) throw unknownJob(id)
      start()
      openStreams.add(stream)
      request.raw.once('close', () => {
        unsubscribe()
        openStreams.delete(stream)
      })
    },
  )
}
