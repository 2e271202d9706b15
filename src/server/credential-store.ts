import os from 'node:os'

import {PASSPHRASE_ENV} from '../cli/secret-input.js'
import type {TradaiConfig} from '../core/config/schema.js'
import type {CredentialSources} from '../core/credentials/find.js'
import {defaultStoreFile} from '../core/credentials/location.js'
import {UsageError} from '../core/errors.js'

/**
 * Where the server finds credentials: its own environment, then the configured store, the same
 * file the CLI opens. The passphrase comes only from the server's environment: never from a
 * request, and never a prompt (a server has no one at its terminal to answer).
 */
export function serverCredentialSources(config: TradaiConfig, env: Record<string, string | undefined>): CredentialSources {
  const file = config.credentials.file ?? defaultStoreFile(env, os.homedir())
  return {
    env,
    defaultExchange: config.exchange,
    store: {
      file,
      async passphrase() {
        const known = env[PASSPHRASE_ENV]
        if (known) return known
        throw new UsageError(`The credentials store ${file} needs a passphrase and the server has none.`, {
          suggestions: [`Start \`tradai serve\` with ${PASSPHRASE_ENV} in its environment (a request never carries it).`],
        })
      },
    },
  }
}
