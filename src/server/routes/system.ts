import * as z from 'zod'

import {engineLocation, engineState} from '../../engines/python/engine-env.js'
import {mlflowHealth} from '../../engines/mlflow/health.js'
import type {Service} from '../service.js'
import {typed, type App} from './route-kit.js'

const health = z.object({status: z.literal('ok'), version: z.string(), uptimeSeconds: z.number(), jobs: z.object({running: z.number(), queued: z.number()})})
const ready = z.object({
  ready: z.boolean(),
  engine: z.object({dir: z.string(), status: z.string(), reason: z.string().optional()}),
  tracking: z.object({uri: z.string(), enabled: z.boolean(), reachable: z.boolean(), detail: z.string()}),
})

/** Liveness (no auth, no I/O), readiness (engine installed, tracking reachable), the OpenAPI document. */
export function systemRoutes(app: App, service: Service): void {
  const started = Date.now()
  typed(app).get('/health', {schema: {summary: 'Liveness: the process answers.', tags: ['system'], security: [], response: {200: health}}}, async () => ({
    status: 'ok' as const,
    version: service.version,
    uptimeSeconds: Math.round((Date.now() - started) / 1000),
    jobs: service.jobs.counts,
  }))

  typed(app).get(
    '/ready',
    {schema: {summary: 'Readiness: the engine is installed and the tracking server answers (503 otherwise).', tags: ['system'], response: {200: ready, 503: ready}}},
    async (request, reply) => {
      const {config} = await service.config()
      const location = engineLocation(config.engine.dir)
      const state = engineState(location)
      const tracking = config.tracking.enabled ? await mlflowHealth(config.tracking.uri, AbortSignal.timeout(5000)) : {reachable: true, detail: 'tracking disabled'}
      const document = {
        ready: state.status === 'ready' && tracking.reachable,
        engine: {dir: location.dir, status: state.status, ...(state.status === 'ready' ? {} : {reason: state.reason})},
        tracking: {uri: config.tracking.uri, enabled: config.tracking.enabled, ...tracking},
      }
      return reply.code(document.ready ? 200 : 503).send(document)
    },
  )

  app.get('/openapi.json', {schema: {hide: true}}, async () => app.swagger())
}
