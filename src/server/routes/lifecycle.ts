import {maskedConfig} from '../../core/config/describe.js'
import {UsageError} from '../../core/errors.js'
import {runLint} from '../../core/lint/run-lint.js'
import {lintFailure} from '../../core/lint/verdict.js'
import {promoteStrategy, type PromoteRequest} from '../../core/promotion/promote.js'
import {registerStrategy} from '../../core/registry/register.js'
import {actorName} from '../../core/registry/tags.js'
import {runContext} from '../../core/tracking/run-context.js'
import {knownSecrets} from '../../core/tracking/secrets.js'
import {cliDocument, lintBody, planBody, promotionBody, registrationBody, rollbackBody} from '../schemas.js'
import {requestContext, type Service} from '../service.js'
import {documentResponses, requestSignal, typed, type App} from './route-kit.js'
import {gateKey} from '../../cli/gate-key.js'
import {promotionPolicy} from '../../core/promotion/policy.js'

/** Lint, register, promote: the gates. Each answers the command's document; a refusal is 409. */
export function lifecycleRoutes(app: App, service: Service): void {
  const api = typed(app)

  api.post(
    '/v1/strategies/lint',
    {
      schema: {
        summary: 'tradai strategy lint: 200 when it passes, 409 with the same report when it fails',
        tags: ['strategies'],
        body: lintBody,
        response: documentResponses('strategy lint', 'lint', {409: cliDocument('strategy lint', 'lint')}),
      },
    },
    async (request, reply) => {
      const body = request.body
      const {config, sources} = await service.config({exchange: body.exchange, pairs: body.pairs, timerange: body.timerange})
      const ctx = requestContext(requestSignal(request, reply))
      const report = await runLint(
        {
          paths: [],
          names: body.strategies ?? [],
          strategiesDir: config.strategiesDir,
          deep: body.deep ?? false,
          strict: body.strict ?? false,
          userDataDir: config.userDataDir,
          exchange: sources.exchange?.kind === 'default' ? undefined : config.exchange,
          pairs: config.pairs,
          timerange: config.timerange,
        },
        await service.engine(config, ctx),
        ctx,
      )
      // Like the command: a failing lint still answers its whole report, with the check's status.
      return reply.code(lintFailure(report) ? 409 : 200).send(report)
    },
  )

  api.post(
    '/v1/registrations',
    {
      schema: {
        summary: "tradai strategy register: lint, then a version in MLflow's registry",
        tags: ['lifecycle'],
        body: registrationBody,
        response: documentResponses('strategy register', 'strategy-register'),
      },
    },
    async (request, reply) => {
      const resolved = await service.config()
      const {config} = resolved
      const context = runContext(service.env, service.version)
      const ctx = requestContext(requestSignal(request, reply))
      return registerStrategy(
        {
          name: request.body.strategy,
          strategiesDir: config.strategiesDir,
          userDataDir: config.userDataDir,
          experiment: config.tracking,
          context: {...context, user: actorName(service.env, context.user)},
          secrets: knownSecrets(config, service.env),
          config: maskedConfig(resolved),
          gateKey: (await gateKey(config, service.env, {create: true}))!,
        },
        await service.engine(config, ctx),
        service.registry(config),
        ctx,
      )
    },
  )

  const promote = async (signal: AbortSignal, request: Omit<PromoteRequest, 'who' | 'at' | 'experiment' | 'gateKey' | 'policy'>) => {
    const {config} = await service.config()
    const context = runContext(service.env, service.version)
    // The same key and policy as the CLI: verified evidence, policy from config, never from the body.
    const key = await gateKey(config, service.env, {create: false})
    return promoteStrategy(
      {...request, who: actorName(service.env, context.user), at: new Date().toISOString(), experiment: config.tracking, gateKey: key, policy: promotionPolicy(config)},
      service.registry(config),
      requestContext(signal),
    )
  }

  const action = (to: 'staged' | 'promoted') => (to === 'staged' ? ('stage' as const) : ('promote' as const))

  api.post(
    '/v1/promotions/plan',
    {
      schema: {
        summary: 'tradai promote --dry-run: the plan, every gate checked, nothing changed (409 when a gate refuses)',
        tags: ['lifecycle'],
        body: planBody,
        response: documentResponses('promote', 'promote'),
      },
    },
    async (request, reply) => {
      const body = request.body
      if (!body.to && !body.rollback) throw new UsageError('Say where to: "to": "staged" | "promoted", or "rollback": true.')
      if (body.to && body.rollback) throw new UsageError('"to" and "rollback" exclude each other.')
      return promote(requestSignal(request, reply), {
        model: body.strategy,
        action: body.rollback ? 'rollback' : action(body.to!),
        version: body.version,
        reason: body.reason,
        force: body.force ?? false,
        dryRun: true,
      })
    },
  )

  api.post(
    '/v1/promotions',
    {
      schema: {
        summary: 'tradai promote --to staged|promoted: through the gates (409 when one refuses)',
        tags: ['lifecycle'],
        body: promotionBody,
        response: documentResponses('promote', 'promote'),
      },
    },
    async (request, reply) => {
      const body = request.body
      return promote(requestSignal(request, reply), {
        model: body.strategy,
        action: action(body.to),
        version: body.version,
        reason: body.reason,
        force: body.force ?? false,
        dryRun: false,
      })
    },
  )

  api.post(
    '/v1/promotions/rollback',
    {
      schema: {
        summary: 'tradai promote --rollback: production back to the previous production version',
        tags: ['lifecycle'],
        body: rollbackBody,
        response: documentResponses('promote', 'promote'),
      },
    },
    async (request, reply) => {
      const body = request.body
      return promote(requestSignal(request, reply), {model: body.strategy, action: 'rollback', reason: body.reason, force: false, dryRun: body.dryRun ?? false})
    },
  )
}
