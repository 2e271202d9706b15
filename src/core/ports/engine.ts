import type {CoreContext} from '../events.js'
import type {OperationName, RequestOf, ResultOf} from './engine-contract/index.js'

export type {OperationName, RequestOf, ResultOf} from './engine-contract/index.js'

/**
 * The Python engine as core sees it: run one bridge operation of the contract
 * (src/core/ports/engine-contract), get its validated result. The real adapter is `PythonBridge`
 * (src/engines/python/bridge.ts); tests may hand in a fake.
 */
export interface EnginePort {
  run<Op extends OperationName>(operation: Op, request: RequestOf<Op>, ctx: CoreContext): Promise<ResultOf<Op>>
}
