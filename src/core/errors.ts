/**
 * One error hierarchy for everything tradai reports. Core code throws these; the CLI renders
 * them once (human or JSON) and exits with `exitCode`. Anything else that escapes is a bug (70).
 */
export const ExitCode = {
  ok: 0,
  checkFailed: 1,
  usage: 2,
  engine: 3,
  tracking: 4,
  notFound: 5,
  internal: 70,
  interrupted: 130,
  terminated: 143,
} as const

export interface TradaiErrorOptions {
  suggestions?: string[]
  cause?: unknown
  /** Extra machine-readable detail carried into `--json` errors. */
  details?: Record<string, unknown>
}

export class TradaiError extends Error {
  readonly code: string
  readonly exitCode: number
  readonly suggestions: string[]
  readonly details?: Record<string, unknown>

  constructor(code: string, exitCode: number, message: string, options: TradaiErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : {cause: options.cause})
    this.name = new.target.name
    this.code = code
    this.exitCode = exitCode
    this.suggestions = options.suggestions ?? []
    this.details = options.details
  }
}

/** Bad flags, arguments or requests: the user can fix the command line. */
export class UsageError extends TradaiError {
  constructor(message: string, options?: TradaiErrorOptions) {
    super('USAGE', ExitCode.usage, message, options)
  }
}

/** A configuration file or environment value is invalid. */
export class ConfigError extends TradaiError {
  constructor(message: string, options?: TradaiErrorOptions & {code?: string}) {
    super(options?.code ?? 'CONFIG', ExitCode.usage, message, options)
  }
}

/** A check ran and said no: lint errors, a failed challenge, a refused gate. */
export class CheckFailedError extends TradaiError {
  constructor(message: string, options?: TradaiErrorOptions) {
    super('CHECK_FAILED', ExitCode.checkFailed, message, options)
  }
}

/** Freqtrade / the Python engine failed, or is not installed. */
export class EngineError extends TradaiError {
  constructor(message: string, options?: TradaiErrorOptions & {code?: string}) {
    super(options?.code ?? 'ENGINE', ExitCode.engine, message, options)
  }
}

/** MLflow tracking server or registry failed. */
export class TrackingError extends TradaiError {
  constructor(message: string, options?: TradaiErrorOptions & {code?: string}) {
    super(options?.code ?? 'TRACKING', ExitCode.tracking, message, options)
  }
}

/** A strategy, data, run or version does not exist. */
export class NotFoundError extends TradaiError {
  constructor(message: string, options?: TradaiErrorOptions & {code?: string}) {
    super(options?.code ?? 'NOT_FOUND', ExitCode.notFound, message, options)
  }
}

/** The user stopped us (SIGINT → 130) or the platform did (SIGTERM → 143). */
export class InterruptedError extends TradaiError {
  readonly signal: 'SIGINT' | 'SIGTERM'

  constructor(signal: 'SIGINT' | 'SIGTERM') {
    super(
      signal === 'SIGINT' ? 'INTERRUPTED' : 'TERMINATED',
      signal === 'SIGINT' ? ExitCode.interrupted : ExitCode.terminated,
      signal === 'SIGINT' ? 'Interrupted (Ctrl-C); stopped the engine.' : 'Terminated (SIGTERM); stopped the engine.',
    )
    this.signal = signal
  }
}

/** The abort reason as a TradaiError: what an aborted core call throws. */
export function abortError(signal: AbortSignal): TradaiError {
  const reason: unknown = signal.reason
  return reason instanceof TradaiError ? reason : new InterruptedError('SIGINT')
}

/** An invariant broke: a bug in tradai, not the user's doing. */
export class BugError extends TradaiError {
  constructor(message: string, options?: TradaiErrorOptions) {
    super('INTERNAL', ExitCode.internal, message, options)
  }
}

export function toTradaiError(error: unknown): TradaiError {
  if (error instanceof TradaiError) return error
  const message = error instanceof Error ? error.message : String(error)
  return new BugError(`Unexpected error: ${message}`, {
    cause: error,
    suggestions: ['Run again with --verbose for the stack trace and report it as a bug.'],
  })
}
