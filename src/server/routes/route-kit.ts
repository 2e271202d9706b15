import type {FastifyInstance, FastifyReply, FastifyRequest} from 'fastify'
import type {ZodTypeProvider} from 'fastify-type-provider-zod'
import type {z} from 'zod'

import {InterruptedError} from '../../core/errors.js'
import type {JobRecord} from '../jobs/job-store.js'
import {cliDocument, errorDocument, jobAccepted} from '../schemas.js'

export type App = FastifyInstance
export const typed = (app: FastifyInstance) => app.withTypeProvider<ZodTypeProvider>()

/** Response schemas for a route answering a CLI document (errors: the CLI error document). */
export function documentResponses(command: string, schema?: string, extra: Record<number, z.ZodType> = {}): Record<string, z.ZodType> {
  return {200: cliDocument(command, schema), ...extra, '4xx': errorDocument, '5xx': errorDocument}
}

export const jobResponses = {202: jobAccepted, '4xx': errorDocument, '5xx': errorDocument}

/** A signal that aborts the core call when the client goes away before the answer. */
export function requestSignal(_request: FastifyRequest, reply: FastifyReply): AbortSignal {
  const controller = new AbortController()
  // The response's close, not the request's: a request closes as soon as its body has been read.
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) controller.abort(new InterruptedError('SIGINT'))
  })
  return controller.signal
}

/** 202 with the job's id and links, and Location: the job. */
export function accepted(reply: FastifyReply, record: JobRecord) {
  const self = `/v1/jobs/${record.id}`
  reply.code(202).header('location', self).header('x-job-id', record.id)
  return {jobId: record.id, status: record.status, links: {self, events: `${self}/events`}}
}
