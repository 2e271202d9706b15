import * as z from 'zod'

import {gateKey} from '../../cli/gate-key.js'
import {dataSettingsFromConfig} from '../../core/backtest/request.js'
import {actorName} from '../../core/registry/tags.js'
import {shadowReport, shadowReportRequest} from '../../core/shadow/report.js'
import {listSessions, sessionSummary, shadowRoot} from '../../core/shadow/session.js'
import {startShadow} from '../../core/shadow/start.js'
import {shadowStatus, stopShadow} from '../../core/shadow/status.js'
import {runContext} from '../../core/tracking/run-context.js'
import {freqtradeApi} from '../../engines/freqtrade/rest-client.js'
import {freeLocalPort} from '../../engines/net-port.js'
import {killGroup} from '../../engines/python/process-tree.js'
import {DATA_KEYS, dataFields, strategyName} from '../schemas.js'
import {requestContext, type Service} from '../service.js'
import {accepted, documentResponses, jobResponses, requestSignal, typed, type App} from './route-kit.js'

const sessionParams = z.strictObject({id: z.string().regex(/^[\w.-]+$/, 'a session id like sh-20261201-101500-a1b2c3')})

/**
 * `shadow start NAME --replay`'s flags. Replay only: a live session trades the exchange's public
 * feed (and --exchange-demo its account), which is the CLI's to start, not an HTTP caller's.
 */
const shadowStartBody = z.strictObject({
  strategy: strategyName.describe('Registered strategy name.'),
  version: z.number().int().min(1).optional().describe('Model version (default: the newest).'),
  alias: z.literal('staging').optional().describe('Shadow-trade the version this alias points at.'),
  foreground: z.boolean().optional().describe('The job runs to the end of the window (default false: it ends once the bot is up, the bot runs on detached).'),
  speed: z
    .union([z.literal('max'), z.number().positive()])
    .optional()
    .describe('Replay speed: "max" (default) or a factor of real time.'),
  spreadBps: z.number().min(0).optional().describe('Replay spread between bid and ask in basis points (default 5).'),
  ...dataFields,
})

/** Shadow sessions: the session folders under the server's shadow root, as the shadow commands read them. */
export function shadowRoutes(app: App, service: Service): void {
  const api = typed(app)

  api.get('/v1/shadow/sessions', {schema: {summary: 'tradai shadow list', tags: ['shadow'], response: documentResponses('shadow list', 'shadow-list')}}, async () => {
    const {config} = await service.config()
    return {sessions: (await listSessions(shadowRoot(config))).map((view) => sessionSummary(view))}
  })

  api.get(
    '/v1/shadow/sessions/:id',
    {schema: {summary: 'tradai shadow status ID', tags: ['shadow'], params: sessionParams, response: documentResponses('shadow status', 'shadow-status')}},
    async (request, reply) => {
      const {config} = await service.config()
      const ctx = requestContext(requestSignal(request, reply))
      return shadowStatus(shadowRoot(config), request.params.id, freqtradeApi, await service.engine(config, ctx), ctx)
    },
  )

  api.get(
    '/v1/shadow/sessions/:id/report',
    {
      schema: {
        summary: 'tradai shadow report ID: drift from a backtest of the window and the shadow gate; recorded in MLflow and on the version unless record=false (--no-record)',
        tags: ['shadow'],
        params: sessionParams,
        querystring: z.strictObject({record: z.enum(['true', 'false']).optional()}),
        response: documentResponses('shadow report', 'shadow-report'),
      },
    },
    async (request, reply) => {
      const {config} = await service.config()
      const context = runContext(service.env, service.version)
      const record = request.query.record !== 'false'
      // As the command: a recorded report is signed with the gate key promotion verifies.
      const key = record ? await gateKey(config, service.env, {create: true}) : null
      const ctx = requestContext(requestSignal(request, reply))
      return shadowReport(
        shadowReportRequest(config, request.params.id, {...context, user: actorName(service.env, context.user)}, record, key),
        await service.engine(config, ctx),
        service.registry(config),
        ctx,
      )
    },
  )

  api.delete(
    '/v1/shadow/sessions/:id',
    {
      schema: {
        summary: "tradai shadow stop ID: stops the bot's whole process group; trades stay (a finished session is not an error)",
        tags: ['shadow'],
        params: sessionParams,
        response: documentResponses('shadow stop', 'shadow-stop'),
      },
    },
    async (request, reply) => {
      const {config} = await service.config()
      const view = await stopShadow(shadowRoot(config), request.params.id, freqtradeApi, killGroup, requestContext(requestSignal(request, reply)))
      return {session: sessionSummary(view)}
    },
  )

  api.post(
    '/v1/shadow/sessions',
    {
      schema: {
        summary: 'tradai shadow start NAME --replay, as a job (its result: docs/schemas/shadow-start.schema.json)',
        tags: ['shadow'],
        body: shadowStartBody,
        response: jobResponses,
      },
    },
    async (request, reply) => {
      const body = request.body
      const resolved = await service.config(Object.fromEntries(DATA_KEYS.map((key) => [key, body[key]])))
      const {config} = resolved
      const record = service.jobs.submit('shadow-start', body, async (ctx) => {
        const engine = await service.engine(config, ctx)
        const result = await startShadow(
          {
            model: body.strategy,
            version: body.version,
            alias: body.alias,
            mode: 'replay',
            foreground: body.foreground ?? false,
            data: {...dataSettingsFromConfig(resolved), candleStore: await service.candleStore(config, ctx)},
            root: shadowRoot(config),
            apiPort: await freeLocalPort(),
            speed: body.speed === undefined || body.speed === 'max' ? null : body.speed,
            spreadBps: body.spreadBps,
            // Verifies the registration before anything runs, as `shadow start` does; never creates the key.
            gateKey: await gateKey(config, service.env, {create: false}),
          },
          engine,
          service.registry(config),
          ctx,
        )
        return {result}
      })
      return accepted(reply, record)
    },
  )
}
