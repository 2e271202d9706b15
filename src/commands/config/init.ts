import {Flags} from '@oclif/core'
import {existsSync, writeFileSync} from 'node:fs'
import path from 'node:path'

import {BaseCommand} from '../../cli/base-command.js'
import {STARTER_CONFIG} from '../../core/config/starter.js'
import {UsageError} from '../../core/errors.js'

export default class ConfigInit extends BaseCommand<typeof ConfigInit> {
  static override summary = 'Write a commented starter config file (tradai.config.yaml).'
  static override flags = {
    path: Flags.string({description: 'Where to write it.', default: 'tradai.config.yaml'}),
    force: Flags.boolean({description: 'Overwrite an existing file.'}),
  }

  async run(): Promise<{file: string}> {
    const file = path.resolve(this.flags.path)
    if (existsSync(file) && !this.flags.force) {
      throw new UsageError(`${file} already exists.`, {suggestions: ['Pass --force to overwrite it, or --path to write elsewhere.']})
    }

    writeFileSync(file, STARTER_CONFIG)
    if (!this.jsonEnabled()) process.stdout.write(`Wrote ${file}\n`)
    return {file}
  }
}
