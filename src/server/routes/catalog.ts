import * as z from 'zod'

import {describeConfig} from '../../core/config/describe.js'
import {listData} from '../../core/data/list-data.js'
import {freqtradeResultsDir, listStudies, showStudy} from '../../core/hyperopt/studies.js'
import {studiesDir} from '../../core/hyperopt/study-lock.js'
import {strategyLifecycle} from '../../core/registry/lifecycle-info.js'
import {listStrategies} from '../../core/strategy/list-strategies.js'
import {showStrategy} from '../../core/strategy/show-strategy.js'
import {listModels, showModel} from '../../core/tracking/models.js'
import {dataFields, nameParams, studyParams} from '../schemas.js'
import {requestContext, type Service} from '../service.js'
import {documentResponses, requestSignal, typed, type App} from './route-kit.js'

/** Read-only routes: strategies, candles, config, models, hyperopt studies. Each is one core call, as its command. */
export function catalogRoutes(app: App, service: Service): void {
  const api = typed(app)

  api.get(
    '/v1/strategies',
    {schema: {summary: 'tradai strategy list', tags: ['strategies'], response: documentResponses('strategy list', 'strategy-list')}},
    async (request, reply) => {
      const {config} = await service.config()
      const ctx = requestContext(requestSignal(request, reply))
      return listStrategies({strategiesDir: config.strategiesDir}, await service.engine(config, ctx), ctx)
    },
  )

  api.get(
    '/v1/strategies/:name',
    {schema: {summary: 'tradai strategy show NAME', tags: ['strategies'], params: nameParams, response: documentResponses('strategy show', 'strategy-show')}},
    async (request, reply) => {
      const {config} = await service.config()
      const ctx = requestContext(requestSignal(request, reply))
      const details = await showStrategy({strategiesDir: config.strategiesDir, name: request.params.name}, await service.engine(config, ctx), ctx)
      // As the command: registry versions when the tracking server answers; show never fails on it.
      return {...details, registry: await strategyLifecycle(service.registry(config, {retries: 0, timeoutMs: 5000}), details.name, ctx.signal)}
    },
  )

  api.get(
    '/v1/data',
    {schema: {summary: 'tradai data list', tags: ['data'], querystring: z.strictObject({exchange: dataFields.exchange}), response: documentResponses('data list', 'data-list')}},
    async (request, reply) => {
      const {config, sources} = await service.config({exchange: request.query.exchange})
      // tradai's built-in default exchange is no reason to hide other exchanges' candles.
      const exchange = sources.exchange?.kind === 'default' ? undefined : config.exchange
      const ctx = requestContext(requestSignal(request, reply))
      return listData({userDataDir: config.userDataDir, exchange}, await service.engine(config, ctx), ctx)
    },
  )

  api.get('/v1/config', {schema: {summary: 'tradai config show (secrets masked)', tags: ['config'], response: documentResponses('config show')}}, async () => {
    const resolved = await service.config()
    return {file: resolved.file ?? null, entries: describeConfig(resolved)}
  })

  api.post(
    '/v1/config/validate',
    {schema: {summary: "tradai config validate: the server's configuration (400 with every bad key)", tags: ['config'], response: documentResponses('config validate')}},
    async () => {
      const resolved = await service.config()
      return {valid: true, file: resolved.file ?? null}
    },
  )

  api.get('/v1/models', {schema: {summary: 'tradai model list', tags: ['models'], response: documentResponses('model list', 'model-list')}}, async (request, reply) => {
    const {config} = await service.config()
    return listModels(service.registry(config), requestContext(requestSignal(request, reply)))
  })

  api.get(
    '/v1/models/:name',
    {
      schema: {
        summary: 'tradai model show NAME [--version N]',
        tags: ['models'],
        params: nameParams,
        querystring: z.strictObject({version: z.coerce.number().int().min(1).optional()}),
        response: documentResponses('model show', 'model-show'),
      },
    },
    async (request, reply) => {
      const {config} = await service.config()
      const version = request.query.version === undefined ? undefined : String(request.query.version)
      return showModel(service.registry(config), request.params.name, version, requestContext(requestSignal(request, reply)))
    },
  )

  api.get('/v1/hyperopt/studies', {schema: {summary: 'tradai hyperopt list', tags: ['hyperopt'], response: documentResponses('hyperopt list')}}, async (request, reply) => {
    const {config} = await service.config()
    const ctx = requestContext(requestSignal(request, reply))
    return listStudies({studiesDir: studiesDir(config), resultsDir: freqtradeResultsDir(config.userDataDir)}, await service.engine(config, ctx), ctx)
  })

  api.get(
    '/v1/hyperopt/studies/:study',
    {
      schema: {
        summary: 'tradai hyperopt show STUDY [--trial N]',
        tags: ['hyperopt'],
        params: studyParams,
        querystring: z.strictObject({trial: z.coerce.number().int().min(0).optional()}),
        response: documentResponses('hyperopt show'),
      },
    },
    async (request, reply) => {
      const {config} = await service.config()
      const ctx = requestContext(requestSignal(request, reply))
      return showStudy(
        {study: request.params.study, trial: request.query.trial, studiesDir: studiesDir(config), resultsDir: freqtradeResultsDir(config.userDataDir)},
        await service.engine(config, ctx),
        ctx,
      )
    },
  )
}
