import chalk from 'chalk'

import type {ListCredentialsResult} from '../../core/credentials/list-credentials.js'
import type {RemoveCredentialsResult} from '../../core/credentials/remove-credentials.js'
import type {SetCredentialsResult} from '../../core/credentials/set-credentials.js'
import type {TestCredentialsResult} from '../../core/credentials/test-credentials.js'
import {renderTable} from './table.js'

// Every renderer here gets masked values only: core never hands a secret to the CLI.

export function renderCredentialsSet(result: SetCredentialsResult): string {
  const what = `${result.exchange} (${result.profile})`
  const extras = result.shadowedBy.length > 0 ? `\n${chalk.yellow('!')} ${result.shadowedBy.join(', ')} take precedence while set.` : ''
  return `${chalk.green('✔')} Stored ${what} key ${result.key ?? '–'}${result.hasPassword ? ' with password' : ''} in ${result.file}${result.created ? ' (new store, mode 0600)' : ''}.${extras}\n`
}

export function renderCredentialsList(result: ListCredentialsResult): string {
  if (result.credentials.length === 0) {
    return `No exchange credentials (environment, or ${result.file ?? 'no store yet'}).\nStore some with: tradai credentials set binance\n`
  }

  const table = renderTable(result.credentials, [
    {header: 'EXCHANGE', value: (row) => row.exchange},
    {header: 'PROFILE', value: (row) => row.profile},
    {header: 'SOURCE', value: (row) => (row.active ? row.source : `${row.source} (env wins)`)},
    {header: 'KEY', value: (row) => row.key ?? '–'},
    {header: 'SECRET', value: (row) => (row.hasSecret ? 'yes' : 'no')},
    {header: 'PASSWORD', value: (row) => (row.hasPassword ? 'yes' : 'no')},
    {header: 'UPDATED', value: (row) => row.updatedAt?.slice(0, 19).replace('T', ' ') ?? '–'},
  ])
  return `${table}\n${result.file ? `Store: ${result.file}\n` : ''}`
}

export function renderCredentialsRemove(result: RemoveCredentialsResult): string {
  return `${chalk.green('✔')} Removed ${result.exchange} (${result.profile}) from ${result.file}; ${result.remaining} left.\n`
}

export function renderCredentialsTest(result: TestCredentialsResult): string {
  const lines = result.checks.map((check) => `${check.passed ? chalk.green('✔') : chalk.red('✖')} ${check.check}: ${check.detail}`)
  const verdict = result.passed
    ? chalk.green(`${result.exchange} (${result.profile}, from ${result.source}): credentials verified ${result.verified}.`)
    : chalk.red(`${result.exchange} (${result.profile}, from ${result.source}): a check failed.`)
  const warnings = result.warnings.map((warning) => `${chalk.yellow('!')} ${warning}`)
  return `${[...lines, ...warnings, verdict].join('\n')}\n`
}
