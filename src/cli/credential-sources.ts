import os from 'node:os'

import type {TradaiConfig} from '../core/config/schema.js'
import type {CredentialSources} from '../core/credentials/find.js'
import {defaultStoreFile} from '../core/credentials/location.js'
import {storeAccess} from './secret-input.js'

/** Where a command finds credentials: this process's environment, then the configured store. */
export function credentialSources(config: TradaiConfig): CredentialSources & {store: ReturnType<typeof storeAccess>} {
  const file = config.credentials.file ?? defaultStoreFile(process.env, os.homedir())
  return {env: process.env, defaultExchange: config.exchange, store: storeAccess(file, process.env)}
}
