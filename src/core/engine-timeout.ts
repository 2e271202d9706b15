import type {EnginePort} from './ports/engine.js'
import {ExitCode, TradaiError, UsageError} from './errors.js'

/** An engine run stopped at its time limit: exit 3, naming the limit and where it came from. */
export class EngineTimeoutError extends TradaiError {
  constructor(what: string, seconds: number, source: string) {
    super(
      'ENGINE_TIMEOUT',
      ExitCode.engine,
      `${what} was stopped after ${formatDuration(seconds)}: it reached its time limit (${source}); the engine and its workers were stopped.`,
      {
        suggestions: ['Raise the limit (--timeout DURATION, config engine.timeoutSeconds) or look for a strategy that never returns.'],
        details: {timeoutSeconds: seconds, source},
      },
    )
  }
}

export interface EngineTimeLimit {
  seconds: number
  /** What is limited, for the message ("The backtest"). */
  what: string
  /** Where the limit came from ("--timeout 30s", "engine.timeoutSeconds", "default"). */
  source: string
}

/**
 * The engine with one deadline shared by every operation run through it (a challenge's several
 * backtests share the command's limit). Past it, the operation in flight is aborted, which stops
 * the engine's whole process tree, and it fails with EngineTimeoutError. Any command that runs
 * the engine (backtest, hyperopt, challenge; sweep, walk-forward, shadow) adopts it by wrapping
 * its engine: `timeLimited(engine, limit)`.
 */
export function timeLimited(engine: EnginePort, limit: EngineTimeLimit | null): EnginePort {
  if (!limit) return engine
  const deadline = Date.now() + limit.seconds * 1000
  const error = new EngineTimeoutError(limit.what, limit.seconds, limit.source)
  return {
    async run(operation, request, ctx) {
      const controller = new AbortController()
      const onAbort = () => controller.abort(ctx.signal.reason)
      if (ctx.signal.aborted) onAbort()
      else ctx.signal.addEventListener('abort', onAbort, {once: true})
      const timer = setTimeout(() => controller.abort(error), Math.max(0, deadline - Date.now()))
      try {
        return await engine.run(operation, request, {...ctx, signal: controller.signal})
      } finally {
        clearTimeout(timer)
        ctx.signal.removeEventListener('abort', onAbort)
      }
    },
  }
}

/** `--timeout` / config value → a limit; the flag wins, then config, then the command's default. */
export function engineTimeLimit(what: string, flag: string | undefined, configSeconds: number | undefined, defaultSeconds: number | null): EngineTimeLimit | null {
  if (flag !== undefined) return {seconds: parseDuration(flag, '--timeout'), what, source: `--timeout ${flag}`}
  if (configSeconds !== undefined) return {seconds: configSeconds, what, source: `engine.timeoutSeconds ${configSeconds}`}
  return defaultSeconds === null ? null : {seconds: defaultSeconds, what, source: `the default of ${formatDuration(defaultSeconds)}`}
}

const UNITS: Record<string, number> = {s: 1, m: 60, h: 3600, d: 86_400}

/** `90`, `90s`, `5m`, `1h30m`, `2d` → seconds; anything else is a usage error naming the value. */
export function parseDuration(text: string, flag: string): number {
  const trimmed = text.trim()
  if (/^\d+(\.\d+)?$/.test(trimmed) && Number(trimmed) > 0) return Number(trimmed)
  const parts = [...trimmed.matchAll(/(\d+(?:\.\d+)?)([smhd])/g)]
  const seconds = parts.reduce((sum, [, value, unit]) => sum + Number(value) * UNITS[unit!]!, 0)
  if (parts.length === 0 || parts.map((part) => part[0]).join('') !== trimmed || seconds <= 0) {
    throw new UsageError(`Malformed duration "${text}" (${flag}): use a number of seconds or e.g. 90s, 5m, 1h30m.`)
  }

  return seconds
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${+seconds.toFixed(1)} s`
  if (seconds < 3600) return `${+(seconds / 60).toFixed(1)} min`
  return `${+(seconds / 3600).toFixed(2)} h`
}
