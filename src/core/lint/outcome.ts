import type {LintFinding, LintSummary} from './types.js'

/** Counts by severity. */
export function summarize(findings: LintFinding[], strategies: number, files: number): LintSummary {
  const count = (severity: LintFinding['severity']) => findings.filter((finding) => finding.severity === severity).length
  return {errors: count('error'), warnings: count('warning'), infos: count('info'), strategies, files}
}

/** The exit decision: any error fails; under --strict any warning fails too; infos never do. */
export function lintPassed(summary: LintSummary, strict: boolean): boolean {
  return summary.errors === 0 && (!strict || summary.warnings === 0)
}
