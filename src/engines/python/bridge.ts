import {
  CheckFailedError,
  ConfigError,
  EngineError,
  NotFoundError,
  TrackingError,
  TradaiError,
  UsageError,
  type TradaiErrorOptions,
} from '../../core/errors.js'
import type {ExchangeCredentials} from '../../core/credentials/types.js'
import type {CoreContext, CoreEvent} from '../../core/events.js'
import {bridgeEnv, type EngineLocation} from './engine-env.js'
import {spawnTree} from './process-tree.js'

/** The Python engine as core sees it: run one bridge operation, get its result. */
export interface EnginePort {
  run<T = unknown>(operation: string, request: unknown, ctx: CoreContext, options?: EngineRunOptions): Promise<T>
}

export interface EngineRunOptions {
  /** Exchange keys for this one operation's process (as environment variables, never in the request). */
  exchangeCredentials?: ExchangeCredentials
}

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

  async run<T = unknown>(operation: string, request: unknown, ctx: CoreContext, options: EngineRunOptions = {}): Promise<T> {
    let result: {data: T} | undefined
    let failure: BridgeErrorEvent | undefined
    const onStdoutLine = (line: string) => {
      const event = parseEvent(line)
      if (!event) {
        ctx.onEvent({type: 'log', level: 'debug', message: line})
        return
      }

      if (event.event === 'result') result = {data: event.data as T}
      else if (event.event === 'error') failure = event as unknown as BridgeErrorEvent
      else forward(event, ctx)
    }

    const outcome = await spawnTree(this.engine.python, ['-m', this.module, operation], {
      cwd: this.cwd,
      env: bridgeEnv(this.env, {exchangeCredentials: options.exchangeCredentials}),
      signal: ctx.signal,
      input: JSON.stringify(request),
      onStdoutLine,
      onStderrLine: (line) => ctx.onEvent({type: 'log', level: 'debug', message: line}),
    })

    if (failure) throw bridgeError(failure, outcome.stderrTail)
    if (outcome.exitCode === 0 && result) return result.data
    const how = outcome.signal ? `was killed by ${outcome.signal}` : `exited with code ${outcome.exitCode}`
    throw new EngineError(`The engine ${how} during "${operation}".\n${tail(outcome.stderrTail)}`, {
      suggestions: ['Run again with --verbose to see the engine log.'],
    })
  }
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
