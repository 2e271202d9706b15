import {dataSettingsFromConfig} from '../../core/backtest/request.js'
import {challengeCriteria, challengeFailure, monteCarloCheck, walkForwardCheck} from '../../core/challenge/challenge-settings.js'
import {runChallenge} from '../../core/challenge/run-challenge.js'
import {describeSource} from '../../core/config/load.js'
import {DEFAULT_LOSS} from '../../core/hyperopt/request.js'
import {studiesDir} from '../../core/hyperopt/study-lock.js'
import {hyperoptTracking} from '../../core/hyperopt/track-hyperopt.js'
import {hyperoptRequest, runTrackedHyperopt} from '../../core/hyperopt/tracked-hyperopt.js'
import {actorName} from '../../core/registry/tags.js'
import {runContext} from '../../core/tracking/run-context.js'
import {knownSecrets} from '../../core/tracking/secrets.js'
import {backtestTracking, runTrackedBacktest} from '../../core/tracking/track-backtest.js'
import {backtestBody, challengeBody, DATA_KEYS, hyperoptBody} from '../schemas.js'
import type {Service} from '../service.js'
import {accepted, jobResponses, typed, type App} from './route-kit.js'
import {gateKey} from '../../cli/gate-key.js'

/** The same retries as the command: a backtest already succeeded, a dead server gets ~0.5 s then the outbox. */
const BACKTEST_TRACKING_RETRIES = {retries: 2, backoffMs: 150}

function dataValues(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(DATA_KEYS.map((key) => [key, body[key]]))
}

/** Long work: each POST validates and resolves its config at once (errors answer now), then runs as a job. */
export function runRoutes(app: App, service: Service): void {
  const api = typed(app)

  api.post(
    '/v1/backtests',
    {
      schema: {
        summary: 'tradai strategy backtest, as a job (its result: docs/schemas/strategy-backtest.schema.json)',
        tags: ['backtests'],
        body: backtestBody,
        response: jobResponses,
      },
    },
    async (request, reply) => {
      const body = request.body
      const resolved = await service.config(dataValues(body))
      const {config} = resolved
      const record = service.jobs.submit('backtest', body, async (ctx) => {
        const engine = await service.engine(config, ctx)
        const result = await runTrackedBacktest(
          {
            strategy: body.strategy,
            strategiesDir: config.strategiesDir,
            ...dataSettingsFromConfig(resolved),
            params: body.params ?? {},
            candleStore: await service.candleStore(config, ctx),
          },
          engine,
          {settings: backtestTracking(config, service.env, service.version, body.track ?? true), port: service.registry(config, BACKTEST_TRACKING_RETRIES)},
          ctx,
        )
        return {result}
      })
      return accepted(reply, record)
    },
  )

  api.post(
    '/v1/hyperopt/studies',
    {schema: {summary: 'tradai hyperopt run, as a job (its result: docs/schemas/hyperopt-run.schema.json)', tags: ['hyperopt'], body: hyperoptBody, response: jobResponses}},
    async (request, reply) => {
      const body = request.body
      const resolved = await service.config(dataValues(body))
      const {config} = resolved
      const hyperopt = hyperoptRequest(resolved, {
        engine: body.engine ?? 'optuna',
        strategy: body.strategy,
        epochs: body.epochs ?? 100,
        spaces: body.spaces,
        loss: body.loss ?? DEFAULT_LOSS,
        minTrades: body.minTrades ?? 1,
        study: body.study,
        objectives: body.objectives,
        oosTimerange: body.oosTimerange,
        oosFraction: body.oosFraction,
        topK: body.topK ?? 1,
        export: body.export ?? true,
        jobs: body.jobs ?? 1,
        seed: body.seed,
        sampler: body.sampler,
      })
      const record = service.jobs.submit('hyperopt', body, async (ctx) => {
        const engine = await service.engine(config, ctx)
        const settings = hyperoptTracking(config, service.env, service.version, body.track ?? true)
        return {result: await runTrackedHyperopt({...hyperopt, candleStore: await service.candleStore(config, ctx)}, engine, {settings, port: service.registry(config)}, ctx)}
      })
      return accepted(reply, record)
    },
  )

  api.post(
    '/v1/challenges',
    {
      schema: {
        summary: 'tradai strategy challenge, as a job (a failed criterion: job failed, result = the report)',
        tags: ['lifecycle'],
        body: challengeBody,
        response: jobResponses,
      },
    },
    async (request, reply) => {
      const body = request.body
      const resolved = await service.config({
        ...dataValues(body),
        'challenge.productionMetric': body.productionMetric,
        'challenge.oosTimerange': body.oosTimerange,
        'challenge.monteCarlo.runs': body.monteCarlo,
        'challenge.monteCarlo.percentile': body.mcPercentile,
        'challenge.monteCarlo.maxDrawdown': body.maxMcDrawdown,
        'challenge.monteCarlo.seed': body.mcSeed,
        'challenge.walkForward.trainDays': body.wfTrainDays,
        'challenge.walkForward.testDays': body.wfTestDays,
        'challenge.walkForward.windows': body.wfWindows,
        'challenge.walkForward.epochs': body.wfEpochs,
        'challenge.walkForward.seed': body.wfSeed,
      })
      const {config, sources} = resolved
      const criteria = challengeCriteria(
        (body.criteria ?? []).map((text) => ({text, origin: 'body.criteria'})),
        config.challenge.criteria,
        describeSource(sources['challenge.criteria']),
      )
      const monteCarlo = monteCarloCheck(config.challenge.monteCarlo)
      const walkForward = walkForwardCheck(config.challenge.walkForward, criteria, studiesDir(config))
      const context = runContext(service.env, service.version)
      const key = (await gateKey(config, service.env, {create: true}))!
      const record = service.jobs.submit('challenge', body, async (ctx) => {
        const engine = await service.engine(config, ctx)
        const report = await runChallenge(
          {
            model: body.strategy,
            version: body.version,
            criteria,
            productionMetric: config.challenge.productionMetric,
            oosTimerange: config.challenge.oosTimerange,
            monteCarlo,
            walkForward,
            data: {...dataSettingsFromConfig(resolved), candleStore: await service.candleStore(config, ctx)},
            experiment: config.tracking,
            context: {...context, user: actorName(service.env, context.user)},
            secrets: knownSecrets(config, service.env),
            gateKey: key,
          },
          engine,
          service.registry(config),
          ctx,
        )
        return {result: report, error: challengeFailure(report)}
      })
      return accepted(reply, record)
    },
  )
}
