import type {Hook} from '@oclif/core'
import {toConfiguredId} from '@oclif/core'
import notFound from '@oclif/plugin-not-found'

import {UsageError} from '../../core/errors.js'
import {errorJson, errorText} from '../render-error.js'

/**
 * A mistyped command. On an interactive terminal (and not --json), @oclif/plugin-not-found's own
 * hook asks "Did you mean …?" and runs the suggestion. Otherwise tradai's usage error (exit 2)
 * with the suggestion, and under --json the one JSON error document tradai promises on stdout.
 */
const hook: Hook.CommandNotFound = async function (options) {
  const argv = options.argv ?? []
  const json = argv.includes('--json') || process.argv.includes('--json')
  if (process.stdin.isTTY && process.stderr.isTTY && !json) return notFound.call(this, options)

  const visible = options.config.commands.filter((command) => !command.hidden).map((command) => command.id)
  const typed = toConfiguredId(options.id, options.config)
  const suggestion = visible.length > 0 ? toConfiguredId(closest(options.id, visible), options.config) : undefined
  const error = new UsageError(`\`${options.config.bin} ${typed}\` is not a ${options.config.bin} command.`, {
    suggestions: [...(suggestion ? [`Did you mean \`${options.config.bin} ${suggestion}\`?`] : []), `Run \`${options.config.bin} help\` for the list of commands.`],
  })
  if (json) process.stdout.write(`${JSON.stringify(errorJson(error), null, 2)}\n`)
  else process.stderr.write(errorText(error, false))
  this.exit(error.exitCode)
}

/** The command id nearest to what was typed (edit distance; the plugin's own helper is not exported). */
export function closest(typed: string, ids: string[]): string {
  let best = ids[0]!
  let bestDistance = Number.POSITIVE_INFINITY
  for (const id of ids) {
    const distance = editDistance(typed, id)
    if (distance < bestDistance) [best, bestDistance] = [id, distance]
  }

  return best
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({length: b.length + 1}, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
    }

    previous = current
  }

  return previous[b.length]!
}

export default hook
