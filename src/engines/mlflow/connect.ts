import type {TradaiConfig} from '../../core/config/schema.js'
import {MlflowClient} from './client.js'

/** The MLflow client for the configured tracking URI and credentials. */
export function mlflowClient(tracking: TradaiConfig['tracking'], options: {retries?: number; backoffMs?: number; timeoutMs?: number} = {}): MlflowClient {
  return new MlflowClient({
    uri: tracking.uri,
    auth: {username: tracking.username, password: tracking.password, token: tracking.token},
    ...options,
    timeoutMs: options.timeoutMs ?? tracking.timeoutSeconds * 1000,
  })
}
