import chalk from 'chalk'
import path from 'node:path'

import type {LintRuleExplanation} from '../../core/lint/explain-rule.js'
import type {LintFinding, LintReport} from '../../core/lint/types.js'

const COLOR: Record<LintFinding['severity'], (text: string) => string> = {
  error: chalk.red,
  warning: chalk.yellow,
  info: chalk.cyan,
}

/** `file:line:col  severity  ruleId  message` + its fix, then a one-line summary. */
export function renderLintReport(report: LintReport, cwd: string): string {
  const lines: string[] = []
  for (const finding of report.findings) {
    const where = `${displayPath(finding.file, cwd)}:${finding.line}:${finding.column}`
    lines.push(`${where}  ${COLOR[finding.severity](finding.severity.padEnd(7))}  ${finding.ruleId}  ${finding.message}`)
    lines.push(chalk.dim(`    fix: ${finding.fix}`))
  }

  if (lines.length > 0) lines.push('')
  const {errors, warnings, infos, strategies} = report.summary
  const counts = `${plural(errors, 'error')}, ${plural(warnings, 'warning')}, ${plural(infos, 'info', 'infos')}`
  const scope = `${plural(strategies, 'strategy', 'strategies')}${report.deep ? ' (deep)' : ''}`
  const mark = report.passed ? chalk.green('✔') : chalk.red('✖')
  const verdict = report.passed ? 'passed' : `failed${report.strict && errors === 0 ? ' (--strict: warnings fail)' : ''}`
  lines.push(`${mark} lint ${verdict}: ${counts} in ${scope}`)
  return `${lines.join('\n')}\n`
}

function displayPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file)
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`
}

/** `--explain RULE`: id, name and severity, the paragraph, then the bad and the good example. */
export function renderLintExplanation(rule: LintRuleExplanation): string {
  const indent = (code: string) =>
    code
      .split('\n')
      .map((line) => `    ${line}`)
      .join('\n')
  return [
    `${chalk.bold(rule.id)} ${rule.name} (${COLOR[rule.severity](rule.severity)})`,
    '',
    rule.explanation,
    '',
    chalk.red('Bad:'),
    indent(rule.bad),
    '',
    chalk.green('Good:'),
    indent(rule.good),
    '',
  ].join('\n')
}
