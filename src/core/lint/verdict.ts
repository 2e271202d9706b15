import {CheckFailedError} from '../errors.js'
import type {LintReport} from './types.js'

/** A failed lint as an error (exit 1); the report itself is still the result document. */
export function lintFailure(report: LintReport): CheckFailedError | undefined {
  if (report.passed) return undefined
  const {errors, warnings} = report.summary
  return new CheckFailedError(`Lint failed: ${errors} error(s)${report.strict ? ` and ${warnings} warning(s) (--strict)` : ''}.`, {
    suggestions: ['Each finding above says how to fix it.'],
  })
}
