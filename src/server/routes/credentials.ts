import * as z from 'zod'

import {listCredentials} from '../../core/credentials/list-credentials.js'
import {exchangeId, profileName} from '../../core/credentials/names.js'
import {testCredentials} from '../../core/credentials/test-credentials.js'
import {serverCredentialSources} from '../credential-store.js'
import {cliDocument} from '../schemas.js'
import {requestContext, type Service} from '../service.js'
import {documentResponses, requestSignal, typed, type App} from './route-kit.js'

const exchangeParams = z.strictObject({name: z.string().regex(/^[A-Za-z0-9_]+$/, 'a ccxt exchange id like binance')})

/**
 * `credentials test`'s flags. No apiUrl: over HTTP a caller could name its own origin and
 * receive a request signed with the server's keys.
 */
const credentialsTestBody = z.strictObject({
  online: z.boolean().optional().describe('One read-only private call (the balance) instead of a locally signed request (--online; default false).'),
  profile: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/i, 'a profile name like main or demo')
    .optional(),
})

/** Exchange credentials, masked: the server's own environment and store, never a value in or out. */
export function credentialRoutes(app: App, service: Service): void {
  const api = typed(app)

  api.get(
    '/v1/credentials',
    {
      schema: {
        summary: 'tradai credentials list (masked: keys as abcd…wxyz, secrets only as yes/no)',
        tags: ['credentials'],
        response: documentResponses('credentials list', 'credentials-list'),
      },
    },
    async () => {
      const {config} = await service.config()
      return listCredentials(serverCredentialSources(config, service.env))
    },
  )

  api.post(
    '/v1/credentials/:name/test',
    {
      schema: {
        summary: 'tradai credentials test EXCHANGE: offline by default; 200 when it passes, 409 with the same report when a check fails',
        tags: ['credentials'],
        params: exchangeParams,
        // A body is optional: an empty POST is the offline test of the default profile.
        body: credentialsTestBody.nullish(),
        response: documentResponses('credentials test', 'credentials-test', {409: cliDocument('credentials test', 'credentials-test')}),
      },
    },
    async (request, reply) => {
      const body = request.body ?? {}
      const {config} = await service.config()
      const exchange = exchangeId(request.params.name)
      const profile = profileName(body.profile)
      const ctx = requestContext(requestSignal(request, reply))
      const result = await testCredentials({exchange, profile, online: body.online ?? false}, serverCredentialSources(config, service.env), await service.engine(config, ctx), ctx)
      // Like the command (exit 1 with its report on stdout): a failed check answers the whole report.
      return reply.code(result.passed ? 200 : 409).send(result)
    },
  )
}
