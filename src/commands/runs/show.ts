import {Args} from '@oclif/core'

import {BaseCommand} from '../../cli/base-command.js'
import {dataFlagConfig} from '../../cli/flags.js'
import {renderRunDetail} from '../../cli/output/runs-output.js'
import {runDirFlags, runOutputDirs} from '../../cli/run-dirs.js'
import {showRun, type RunDetail} from '../../core/runs/list-runs.js'

export default class RunsShow extends BaseCommand<typeof RunsShow> {
  static override summary = 'Show one past run: its summary, its error if it failed, and (with --json) its full result.'
  static override examples = ['<%= config.bin %> runs show bt-20260101-120000-abc123', '<%= config.bin %> runs show sw-20260101-120000-abc123 --json']
  static override args = {runId: Args.string({description: 'Run id (see `tradai runs list`).', required: true})}
  static override flags = {...runDirFlags}

  async run(): Promise<RunDetail> {
    const resolved = await this.resolveConfig(dataFlagConfig(this.flags))
    const detail = await this.runCore([], async () => showRun(runOutputDirs(resolved, this.flags['output-dir']), this.args.runId))
    if (!this.jsonEnabled()) process.stdout.write(renderRunDetail(detail))
    return detail
  }
}
