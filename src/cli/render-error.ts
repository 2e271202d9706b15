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
  for (const suggestion of error.suggestions) lines.push(`  → ${suggestion}`)
  if (showStack || error.exitCode === ExitCode.internal) {
    const cause = error.cause instanceof Error ? error.cause : error
    if (showStack && cause.stack) lines.push('', cause.stack)
  }

  return `${lines.join('\n')}\n`
}
