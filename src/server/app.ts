import fastifySwagger from '@fastify/swagger'
import Fastify, {type FastifyInstance} from 'fastify'
import {jsonSchemaTransform, serializerCompiler, validatorCompiler} from 'fastify-type-provider-zod'

import {NotFoundError} from '../core/errors.js'
import {bearerMatches, isOpenRoute} from './auth.js'
import {sendError, UnauthorizedError} from './http-errors.js'
import {catalogRoutes} from './routes/catalog.js'
import {credentialRoutes} from './routes/credentials.js'
import {jobRoutes} from './routes/jobs.js'
import {lifecycleRoutes} from './routes/lifecycle.js'
import {researchRoutes} from './routes/research.js'
import {runRoutes} from './routes/runs.js'
import {shadowRoutes} from './routes/shadow.js'
import {systemRoutes} from './routes/system.js'
import type {Service} from './service.js'

export interface AppOptions {
  /** Bearer token every route but /health demands; none = no auth (loopback only, checked by `serve`). */
  token?: string
  bodyLimit: number
}

/** The HTTP front: fastify with zod validation, OpenAPI from the same schemas, the CLI's error documents. */
export async function buildApp(service: Service, options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({logger: false, bodyLimit: options.bodyLimit, forceCloseConnections: 'idle', return503OnClosing: true})
  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'tradai',
        description: 'The strategy service: the same core calls as the tradai CLI; each result is the document the command prints with --json.',
        version: service.version,
      },
      components: {securitySchemes: {bearer: {type: 'http', scheme: 'bearer', description: 'TRADAI_API_TOKEN'}}},
      security: options.token ? [{bearer: []}] : [],
    },
    transform: jsonSchemaTransform,
  })

  app.addHook('onRequest', async (request) => {
    if (options.token && !isOpenRoute(request.url) && !bearerMatches(request.headers.authorization, options.token)) throw new UnauthorizedError()
  })

  // One JSON line per request: never the headers or the body (the token, a reason text).
  app.addHook('onResponse', async (request, reply) => {
    service.options.log({
      msg: 'request',
      method: request.method,
      route: request.routeOptions.url ?? null,
      status: reply.statusCode,
      durationMs: Math.round(reply.elapsedTime * 10) / 10,
      jobId: (reply.getHeader('x-job-id') as string | undefined) ?? (request.params as {id?: string} | undefined)?.id ?? null,
    })
  })

  app.setErrorHandler((error, _request, reply) => sendError(reply, error))
  app.setNotFoundHandler((request, reply) =>
    sendError(
      reply,
      new NotFoundError(`No route ${request.method} ${request.url.split('?')[0]}.`, {code: 'ROUTE_NOT_FOUND', suggestions: ['GET /openapi.json lists every route.']}),
    ),
  )

  systemRoutes(app, service)
  catalogRoutes(app, service)
  runRoutes(app, service)
  lifecycleRoutes(app, service)
  jobRoutes(app, service)
  credentialRoutes(app, service)
  researchRoutes(app, service)
  shadowRoutes(app, service)
  await app.ready()
  return app
}
