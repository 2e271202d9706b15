import {existsSync} from 'node:fs'
import path from 'node:path'

import {NotFoundError} from '../errors.js'

/**
 * Splits `tradai strategy lint` arguments into paths (anything that exists on disk) and strategy
 * names (looked up in the strategies folder). A path-looking argument that does not exist is not
 * silently taken for a name.
 */
export function splitTargets(args: string[], cwd: string): {paths: string[]; names: string[]} {
  const paths: string[] = []
  const names: string[] = []
  for (const arg of args) {
    const resolved = path.resolve(cwd, arg)
    if (existsSync(resolved)) paths.push(resolved)
    else if (arg.endsWith('.py') || arg.includes('/') || arg.includes(path.sep)) {
      throw new NotFoundError(`No strategy file or folder at "${arg}".`, {
        suggestions: ['Pass an existing .py file or folder, or a strategy name (`tradai strategy list` shows them).'],
      })
    } else names.push(arg)
  }

  return {paths, names}
}
