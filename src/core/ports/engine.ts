import type {CoreContext} from '../events.js'
import type {OperationName, RequestOf, ResultOf} from './engine-contract/index.js'

export type {OperationName, RequestOf, ResultOf} from './engine-contract/index.js'

/**
 * The Python engine as core sees it: run one bridge operation of the contract
 * (src/core/ports/engine-contract), get its validated result. The real adapter is `PythonBridge`
 * (src/engines/python/bridge.ts); tests may hand in a fake.
 */
export interface EnginePort {
  /** `extraEnv`: variables for this call only (a shadow bot's API credentials: never in a file). */
  run<Op extends OperationName>(operation: Op, request: RequestOf<Op>, ctx: CoreContext, extraEnv?: NodeJS.ProcessEnv): Promise<ResultOf<Op>>
}
