import {Args} from '@oclif/core'

import {BaseCommand} from '../../cli/base-command.js'
import {loadConfig} from '../../core/config/load.js'

export default class ConfigValidate extends BaseCommand<typeof ConfigValidate> {
  static override summary = 'Validate a config file (or the one tradai would use) with the environment applied.'
  static override args = {
    path: Args.string({description: 'Config file to check (default: the one found from here, or --config).'}),
  }

  async run(): Promise<{valid: true; file: string | null}> {
    const resolved = await loadConfig({cwd: process.cwd(), env: process.env, configPath: this.args.path ?? this.flags.config})
    if (!this.jsonEnabled()) process.stdout.write(`Valid: ${resolved.file ?? 'no config file found; defaults and environment are valid'}\n`)
    return {valid: true, file: resolved.file ?? null}
  }
}
