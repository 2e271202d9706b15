import {ExitCode, type TradaiError} from '../core/errors.js'

/** The `--json` error document: `{"error": {code, message, exitCode, suggestions}}`. */
export function errorJson(error: TradaiError): {error: Record<string, unknown>} {
  return {
    error: {
      code: error.code,
      message: error.message,
      exitCode: error.exitCode,
      suggestions: error.suggestions,
      ...(error.details ? {details: error.details} : {}),
    },
  }
}

/** The human error block on stderr; the stack only when asked for (--verbose / DEBUG). */
export function errorText(error: TradaiError, showStack: boolean): string {
  const lines = [`Error: ${error.message}`]
  const available = error.details?.available
  if (Array.isArray(available) && available.length > 0) lines.push(`  Available: ${available.map(describeAvailable).join(', ')}`)
  for (const suggestion of error.suggestions) lines.push(`  → ${suggestion}`)
  if (showStack || error.exitCode === ExitCode.internal) {
    const cause = error.cause instanceof Error ? error.cause : error
    if (showStack && cause.stack) lines.push('', cause.stack)
  }

  return `${lines.join('\n')}\n`
}

/** One entry of an error's `details.available` (strategies, candle files, versions) in a few words. */
function describeAvailable(entry: unknown): string {
  if (typeof entry !== 'object' || entry === null) return String(entry)
  const item = entry as Record<string, unknown>
  if (typeof item.pair === 'string') {
    const day = (value: unknown) => (typeof value === 'string' ? value.slice(0, 10) : '?')
    return `${item.pair} ${String(item.timeframe ?? '')} ${day(item.first)}→${day(item.last)}`.replace(/\s+/g, ' ')
  }

  return String(item.name ?? item.className ?? JSON.stringify(item))
}
