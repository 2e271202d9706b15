import path from 'node:path'

import type {TradaiConfig} from '../config/schema.js'

/**
 * tradai's own state sits beside the engine (`.tradai/`): the outbox and the local MLflow
 * server's store, unless configured elsewhere.
 */
export function trackingDirs(config: TradaiConfig): {outboxDir: string; serverDir: string} {
  const stateDir = path.dirname(config.engine.dir)
  return {
    outboxDir: config.tracking.outboxDir ?? path.join(stateDir, 'outbox'),
    serverDir: config.tracking.serverDir ?? path.join(stateDir, 'mlflow'),
  }
}

/** `tracking.experimentName` with `{strategy}` filled in, after `tracking.experimentPrefix`. */
export function experimentName(config: Pick<TradaiConfig['tracking'], 'experimentName' | 'experimentPrefix'>, strategy: string): string {
  return `${config.experimentPrefix ?? ''}${config.experimentName.replaceAll('{strategy}', strategy)}`
}
