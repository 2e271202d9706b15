import chalk from 'chalk'

import type {ChallengeReport} from '../../core/challenge/run-challenge.js'
import type {PromoteResult} from '../../core/promotion/promote.js'
import type {StrategyLifecycle} from '../../core/registry/lifecycle-info.js'
import type {RegisterResult} from '../../core/registry/register.js'
import {labelled, shownPath} from './strategy-output.js'
import {renderTable} from './table.js'

export function renderRegister(result: RegisterResult): string {
  const head = result.created
    ? `${chalk.green('✔')} Registered ${result.model.name} v${result.version} (${result.state})`
    : `${chalk.green('✔')} ${result.model.name} v${result.version} already holds this code (${result.state}); nothing new registered`
  return `${head}\n${labelled([
    ['code hash', result.codeHash],
    ['strategy', `${result.strategyClass} ${shownPath(result.strategyFile)}${result.paramsFile ? ` + ${shownPath(result.paramsFile)}` : ''}`],
    ['metadata version', result.metadataVersion ?? '–'],
    ['git commit', result.gitCommit ?? '–'],
    ['lint', `${result.lint.errors} errors, ${result.lint.warnings} warnings`],
    ['run', result.runId],
    ['source', result.source ?? '–'],
  ])}\n\nNext: tradai strategy challenge ${result.model.name} --version ${result.version}\n`
}

const number = (value: number | null) => (value === null ? '–' : String(+value.toPrecision(6)))

export function renderChallengeReport(report: ChallengeReport): string {
  const table = renderTable(report.criteria, [
    {header: 'Criterion', value: (row) => row.criterion},
    {header: 'Window', value: (row) => row.window},
    {header: 'Actual', value: (row) => number(row.actual), align: 'right'},
    {header: 'Op', value: (row) => row.op},
    {header: 'Threshold', value: (row) => number(row.threshold), align: 'right'},
    {header: 'Result', value: (row) => (row.skipped ? chalk.dim('skipped') : row.passed ? chalk.green('pass') : chalk.red('FAIL'))},
    {header: 'Note', value: (row) => row.note ?? ''},
  ])
  const verdict = report.passed
    ? chalk.green(`✔ Challenge passed: ${report.model.name} v${report.version}`)
    : chalk.red(`✖ Challenge failed: ${report.model.name} v${report.version}`)
  const b = report.backtest
  return `${verdict}\n${labelled([
    ['code hash', report.codeHash],
    ['backtest', `${b.pairs.join(', ')} ${b.period.start} → ${b.period.end}, ${b.metrics.totalTrades} trades`],
    ...(report.champion ? [['champion', `production v${report.champion.version}, ${report.champion.metrics.totalTrades} trades`] as [string, string]] : []),
    ...(report.walkForward
      ? [
          [
            'walk-forward',
            `${report.walkForward.settings.windows} window(s) of ${report.walkForward.settings.trainDays}+${report.walkForward.settings.testDays} days, ${report.walkForward.aggregate.oosTotalTrades} OOS trades (run ${report.walkForward.runId})`,
          ] as [string, string],
        ]
      : []),
    ['run', report.runId],
  ])}\n\n${table}\n${report.passed ? `\nNext: tradai promote ${report.model.name} --to staged --version ${report.version}\n` : ''}`
}

export function renderPromote(result: PromoteResult): string {
  const target = `${result.model.name}${result.version === null ? '' : ` v${result.version}`}`
  const head = result.noop
    ? `${target} is already ${result.to}; nothing to do.`
    : result.dryRun
      ? `Plan (dry run, nothing changed): ${result.action} ${target} ${result.from ?? ''} → ${result.to}`
      : `${chalk.green('✔')} ${result.action === 'rollback' ? 'Rolled back' : result.action === 'stage' ? 'Staged' : 'Promoted'} ${target} (${result.from} → ${result.to})`
  const lines = [head, ...result.steps.map((step) => `  ${result.dryRun ? '•' : '✔'} ${step.description}`)]
  if (result.dryRun && result.evidence.length > 0) lines.push('Evidence:', ...renderEvidence(result))
  if (result.overriddenGates.length > 0) lines.push(chalk.yellow(`  ! gates overridden with --force: ${result.overriddenGates.join(', ')} (recorded in the audit)`))
  if (!result.dryRun && !result.noop) {
    lines.push(`  aliases now: staging ${show(result.aliases.staging)}, production ${show(result.aliases.production)}; audit #${result.auditId} (run ${result.auditRunId})`)
  }

  return `${lines.join('\n')}\n`
}

/** One line per piece of signed evidence, and the registry's code re-hashed: what `promote --dry-run` verified. */
export function renderEvidence(result: Pick<PromoteResult, 'evidence' | 'code'>): string[] {
  const lines = result.evidence.map((check) =>
    check.verified
      ? `  ${chalk.green('✔')} ${check.kind}: ${check.status}, signed by ${check.who} at ${check.at} (run ${check.runId})`
      : `  ${chalk.red('✖')} ${check.kind}: ${check.reason}`,
  )
  if (result.code) {
    lines.push(
      result.code.verified
        ? `  ${chalk.green('✔')} code: the registry's strategy artifacts hash to the attested ${result.code.attestedHash?.slice(0, 12)}`
        : `  ${chalk.red('✖')} code: ${result.code.reason}`,
    )
  }

  return lines
}

/** The registry section of `tradai strategy show`. */
export function renderLifecycle(info: StrategyLifecycle): string {
  if (info.status === 'unreachable' || info.status === 'error') return `\nRegistry: versions and history not shown: ${info.reason}\n`
  if (info.status === 'not-registered') return `\nRegistry: not registered (\`tradai strategy register ${info.model}\`)\n`
  const versions = renderTable(info.versions, [
    {header: 'Version', value: (row) => `v${row.version}`, align: 'right'},
    {header: 'State', value: (row) => row.state},
    {header: 'Aliases', value: (row) => row.aliases.join(',')},
    {header: 'Challenge', value: (row) => row.challenge?.status ?? '–'},
    {header: 'Code', value: (row) => row.codeHash?.slice(0, 12) ?? '–'},
    {header: 'Metadata', value: (row) => row.metadataVersion ?? '–'},
    {header: 'Registered', value: (row) => `${row.createdAt?.slice(0, 19).replace('T', ' ') ?? '–'} ${row.registeredBy ?? ''}`.trim()},
  ])
  const history =
    info.history.length === 0
      ? '  (no transitions yet)'
      : info.history
          .map(
            (entry) =>
              `  #${entry.id} ${entry.at.slice(0, 19).replace('T', ' ')} ${entry.who}: ${entry.action} v${entry.version} ${entry.from} → ${entry.to}` +
              `${entry.archived.length > 0 ? `, archived ${entry.archived.map((v) => `v${v}`).join(',')}` : ''}` +
              `${entry.forced ? chalk.yellow(` [forced: ${entry.overriddenGates.join(',')}]`) : ''}${entry.reason ? ` — ${entry.reason}` : ''}`,
          )
          .join('\n')
  return `\nRegistry (${info.model}): staging ${show(info.aliases.staging)}, production ${show(info.aliases.production)}\n${versions}\n\nLifecycle history\n${history}\n`
}

function show(version: number | null): string {
  return version === null ? '–' : `v${version}`
}
