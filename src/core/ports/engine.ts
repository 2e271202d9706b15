import type {ExchangeCredentials} from '../credentials/types.js'
import type {CoreContext} from '../events.js'
import type {OperationName, RequestOf, ResultOf} from './engine-contract/index.js'

export type {OperationName, RequestOf, ResultOf} from './engine-contract/index.js'

/**
 * The Python engine as core sees it: run one bridge operation of the contract
 * (src/core/ports/engine-contract), get its validated result. The real adapter is `PythonBridge`
 * (src/engines/python/bridge.ts); tests may hand in a fake.
 */
export interface EnginePort {
  run<Op extends OperationName>(operation: Op, request: RequestOf<Op>, ctx: CoreContext, options?: EngineRunOptions): Promise<ResultOf<Op>>
}

export interface EngineRunOptions {
  /** Exchange keys for this one operation's process (as environment variables, never in the request). */
  exchangeCredentials?: ExchangeCredentials
  /** Variables for this call only, passed as given (a shadow bot's API credentials: never in a file). */
  env?: NodeJS.ProcessEnv
}

/** The ArcticDB adapter (its own Python environment and package, outside the engine contract). */
export interface AdapterPort {
  /** `request` may be a promise: the adapter process starts at once (its imports overlap the caller's work) and reads it when it settles. */
  exec<T = unknown>(operation: string, request: unknown, ctx: CoreContext): Promise<T>
}
