import {readFile} from 'node:fs/promises'

import {
  BugError,
  CheckFailedError,
  ConfigError,
  EngineError,
  NotFoundError,
  TrackingError,
  TradaiError,
  UsageError,
  type TradaiErrorOptions,
} from '../../core/errors.js'
import type {CoreContext, CoreEvent} from '../../core/events.js'
import type {EngineRunOptions, EnginePort, OperationName, RequestOf, ResultOf} from '../../core/ports/engine.js'
import {operationContract} from '../../core/ports/engine-contract/one-operation.js'
import {bridgeEnv, storeAdapterEnv, type EngineEnvOptions, type EngineLocation} from './engine-env.js'
import {spawnDetachedProcess, spawnTree} from './process-tree.js'
import {reusableStrategyList, snapshotEvents} from './strategy-list-snapshot.js'

/** Moved to src/core/ports/engine.ts; re-exported here for one session so open branches still build. */
export type {EnginePort} from '../../core/ports/engine.js'

interface BridgeErrorEvent {
  code: string
  message: string
  hint?: string | null
  details?: Record<string, unknown>
}

/** Runs `python -m tradai_engine <operation>` per docs/bridge-protocol.md. */
export class PythonBridge implements EnginePort {
  constructor(
    private readonly engine: EngineLocation,
    private readonly env: NodeJS.ProcessEnv,
    private readonly cwd: string,
    /** The Python package run as `-m`: the engine, or the ArcticDB adapter in its own environment. */
    private readonly module = 'tradai_engine',
  ) {}

  /** A shadow bot that outlives tradai (see spawnDetachedOp). */
  async spawnDetached(operation: string, files: {request: string; stdout: string; stderr: string}, extraEnv: NodeJS.ProcessEnv = {}): Promise<number> {
    return spawnDetachedOp(this.engine, this.cwd, this.env, operation, files, {extra: extraEnv, detached: true})
  }

  async detachedFailure(eventsFile: string, logFile: string): Promise<TradaiError | undefined> {
    return detachedFailure(eventsFile, logFile)
  }

  async run<Op extends OperationName>(operation: Op, request: RequestOf<Op>, ctx: CoreContext, options: EngineRunOptions = {}): Promise<ResultOf<Op>> {
    // Only this operation's schemas are built (not the whole contract): read-only commands start faster.
    const contract = await operationContract(operation)
    // A request the contract refuses is tradai's own bug: say which field, before Python starts.
    const sent = contract.request.safeParse(request)
    if (!sent.success) throw new BugError(`tradai built an invalid "${operation}" request for the engine: ${issues(sent.error)}`)
    const data = this.reused(operation, request, ctx, options) ?? (await this.exec(operation, request, ctx, options))
    const answer = contract.result.safeParse(data)
    if (!answer.success) {
      throw new EngineError(`The engine's "${operation}" result does not match the bridge contract: ${issues(answer.error)}`, {
        code: 'ENGINE_CONTRACT',
        suggestions: ['The engine and tradai disagree on the bridge contract: run `npm run build` and `tradai engine setup` from the same checkout.'],
      })
    }

    return answer.data as ResultOf<Op>
  }

  /** `strategy list`'s last answer while nothing it was read from changed (strategy-list-snapshot.ts): no Python start. */
  private reused(operation: OperationName, request: unknown, ctx: CoreContext, options: EngineRunOptions): unknown {
    if (operation !== 'strategy-list' || this.module !== 'tradai_engine') return undefined
    const {strategyPath, load} = request as RequestOf<'strategy-list'>
    if (load) return undefined
    const env = bridgeEnv(this.env, {exchangeCredentials: options.exchangeCredentials, extra: options.env})
    const snapshot = reusableStrategyList(this.engine.dir, strategyPath, this.cwd, env)
    if (!snapshot) return undefined
    ctx.onEvent({type: 'log', level: 'debug', message: 'strategy-list: reusing the engine\'s last answer (no input changed; Python not started)'})
    for (const event of snapshotEvents(snapshot)) ctx.onEvent(event)
    return snapshot.result
  }

  /**
   * One operation of this bridge's package, without the engine contract: the ArcticDB adapter
   * (tradai_arctic) is not the engine and declares its operations in its own module.
   */
  async exec<T = unknown>(operation: string, request: unknown, ctx: CoreContext, options: EngineRunOptions = {}): Promise<T> {
    let result: {data: unknown} | undefined
    let failure: BridgeErrorEvent | undefined
    const onStdoutLine = (line: string) => {
      const event = parseEvent(line)
      if (!event) {
        ctx.onEvent({type: 'log', level: 'debug', message: line})
        return
      }

      if (event.event === 'result') result = {data: event.data}
      else if (event.event === 'error') failure = event as unknown as BridgeErrorEvent
      else forward(event, ctx)
    }

    const outcome = await spawnTree(this.engine.python, ['-m', this.module, operation], {
      cwd: this.cwd,
      env: bridgeEnv(this.env, {exchangeCredentials: options.exchangeCredentials, extra: this.module === 'tradai_engine' ? options.env : {...storeAdapterEnv(this.env), ...options.env}}),
      signal: ctx.signal,
      input: Promise.resolve(request).then((value) => JSON.stringify(value)),
      onStdoutLine,
      onStderrLine: (line) => ctx.onEvent({type: 'log', level: 'debug', message: line}),
    })

    if (failure) throw bridgeError(failure, outcome.stderrTail)
    if (outcome.exitCode === 0 && result) return result.data as T

    const how = outcome.signal ? `was killed by ${outcome.signal}` : `exited with code ${outcome.exitCode}`
    throw new EngineError(`The engine ${how} during "${operation}".\n${tail(outcome.stderrTail)}`, {
      suggestions: ['Run again with --verbose to see the engine log.'],
    })
  }
}

function issues(error: {issues: Array<{path: PropertyKey[]; message: string}>}): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`)
    .join('; ')
}

const STDERR_LINES = 40

/**
 * Starts an operation that outlives tradai (a detached shadow bot): its own process group, the
 * request read from `files.request`, events to `files.stdout`, logs to `files.stderr`. Returns
 * the pid (the group's leader) at once. (The detached op checks its own request: contract.)
 */
export async function spawnDetachedOp(
  engine: EngineLocation,
  cwd: string,
  env: NodeJS.ProcessEnv,
  operation: string,
  files: {request: string; stdout: string; stderr: string},
  envOptions: EngineEnvOptions = {},
): Promise<number> {
  return spawnDetachedProcess(engine.python, ['-m', 'tradai_engine', operation], {cwd, env: bridgeEnv(env, envOptions), ...files})
}

/** The error event a detached operation wrote to its events file, as the error `run` would have thrown. */
export async function detachedFailure(eventsFile: string, logFile: string): Promise<TradaiError | undefined> {
  const read = async (file: string) => readFile(file, 'utf8').catch(() => '')
  const failure = (await read(eventsFile))
    .split('\n')
    .map((line) => parseEvent(line))
    .findLast((event) => event?.event === 'error')
  return failure ? bridgeError(failure as unknown as BridgeErrorEvent, (await read(logFile)).trimEnd().split('\n').slice(-STDERR_LINES)) : undefined
}

function parseEvent(line: string): ({event: string} & Record<string, unknown>) | undefined {
  if (!line.startsWith('{')) return undefined
  try {
    const value = JSON.parse(line) as unknown
    return value && typeof value === 'object' && 'event' in value ? (value as {event: string}) : undefined
  } catch {
    return undefined
  }
}

function forward(event: {event: string} & Record<string, unknown>, ctx: CoreContext): void {
  if (event.event === 'stage' || event.event === 'progress' || event.event === 'log') {
    const {event: type, ...rest} = event
    ctx.onEvent({type, ...rest} as CoreEvent)
  }
}

function tail(lines: string[]): string {
  const shown = lines.slice(-15).join('\n').trim()
  return shown ? `Engine output (last lines):\n${shown}` : ''
}

/** Maps the bridge's error codes onto tradai's error kinds (and so its exit codes). */
function bridgeError(event: BridgeErrorEvent, stderrTail: string[]): TradaiError {
  const options: TradaiErrorOptions = {
    suggestions: event.hint ? [event.hint] : [],
    details: event.details && Object.keys(event.details).length > 0 ? withoutTraceback(event.details) : undefined,
  }
  switch (event.code) {
    case 'USAGE': {
      return new UsageError(event.message, options)
    }

    case 'CONFIG':
    case 'DATA_UNREADABLE':
    case 'DATA_BAD_ROWS':
    case 'STRATEGY_LOAD': {
      return new ConfigError(event.message, {...options, code: event.code})
    }

    case 'NOT_FOUND':
    case 'DATA_NOT_FOUND':
    case 'STRATEGY_NOT_FOUND': {
      return new NotFoundError(event.message, {...options, code: event.code})
    }

    case 'CHECK_FAILED': {
      return new CheckFailedError(event.message, options)
    }

    case 'NETWORK': {
      return new EngineError(event.message, {...options, code: 'NETWORK'})
    }

    // A data store (ArcticDB) that cannot be opened: like an unreachable registry, exit 4.
    case 'STORE_UNREACHABLE': {
      return new TrackingError(event.message, {...options, code: event.code})
    }

    default: {
      return new EngineError(`${event.message}\n${tail(stderrTail)}`.trim(), {
        ...options,
        suggestions: [...(options.suggestions ?? []), 'Run again with --verbose to see the engine log.'],
      })
    }
  }
}

function withoutTraceback(details: Record<string, unknown>): Record<string, unknown> {
  const {traceback: _traceback, ...rest} = details
  return rest
}
