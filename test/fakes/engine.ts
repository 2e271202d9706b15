import type {ZodType} from 'zod'

import {BugError, EngineError} from '../../src/core/errors.js'
import type {CoreContext} from '../../src/core/events.js'
import {ENGINE_OPERATIONS} from '../../src/core/ports/engine-contract/index.js'
import type {EnginePort, OperationName, RequestOf, ResultOf} from '../../src/core/ports/engine.js'

/** A canned answer: a result (checked against the contract), an error to throw, or a function of the request. */
export type CannedAnswer<Op extends OperationName> = ResultOf<Op> | Error | ((request: RequestOf<Op>) => ResultOf<Op> | Error)

export type CannedAnswers = {[Op in OperationName]?: CannedAnswer<Op>}

/**
 * An EnginePort without Python: each operation answers from `answers`. Both ends are checked
 * against the bridge contract (src/core/ports/engine-contract) exactly like PythonBridge checks
 * them, so core cannot send a request the engine would refuse, and a canned result that drifted
 * from the contract fails the test that uses it instead of passing on a shape the engine never sends.
 */
export class FakeEngine implements EnginePort {
  /** Every call, in order, with the request as core sent it. */
  readonly calls: Array<{operation: OperationName; request: unknown}> = []

  constructor(private readonly answers: CannedAnswers) {}

  async run<Op extends OperationName>(operation: Op, request: RequestOf<Op>, _ctx: CoreContext): Promise<ResultOf<Op>> {
    // Widened to ZodType: indexing the operation map by a generic Op is too complex for tsc.
    const contract = ENGINE_OPERATIONS[operation] as {request: ZodType; result: ZodType}
    const sent = contract.request.safeParse(request)
    if (!sent.success) throw new BugError(`FakeEngine: core sent an invalid "${operation}" request: ${sent.error.message}`)
    this.calls.push({operation, request})
    const canned = (this.answers as Record<string, unknown>)[operation]
    if (canned === undefined) throw new EngineError(`FakeEngine: no canned answer for "${operation}"`)
    const answer: unknown = typeof canned === 'function' ? (canned as (request: unknown) => unknown)(request) : canned
    if (answer instanceof Error) throw answer
    const checked = contract.result.safeParse(answer)
    if (!checked.success) throw new Error(`FakeEngine: the canned "${operation}" result breaks the bridge contract: ${checked.error.message}`)
    return checked.data as ResultOf<Op>
  }

  /** The requests core sent for `operation`. */
  requests<Op extends OperationName>(operation: Op): Array<RequestOf<Op>> {
    return this.calls.filter((call) => call.operation === operation).map((call) => call.request as RequestOf<Op>)
  }
}
