import {Args} from '@oclif/core'

import {BaseCommand} from '../../cli/base-command.js'
import {dataFlagConfig} from '../../cli/flags.js'
import {renderRunComparison} from '../../cli/output/runs-output.js'
import {runDirFlags, runOutputDirs} from '../../cli/run-dirs.js'
import {compareRuns, type RunComparison} from '../../core/runs/list-runs.js'

export default class RunsCompare extends BaseCommand<typeof RunsCompare> {
  static override summary = 'Compare past runs: metrics side by side, and the parameters and settings that differ.'
  static override examples = ['<%= config.bin %> runs compare bt-20260101-120000-abc123 bt-20260101-130000-def456']
  static override strict = false
  static override args = {runIds: Args.string({description: 'Two or more run ids.', required: true})}
  static override flags = {...runDirFlags}

  async run(): Promise<RunComparison> {
    const resolved = await this.resolveConfig(dataFlagConfig(this.flags))
    const {argv} = await this.parse(RunsCompare)
    const comparison = await this.runCore([], async () => compareRuns(runOutputDirs(resolved, this.flags['output-dir']), argv as string[]))
    if (!this.jsonEnabled()) process.stdout.write(renderRunComparison(comparison))
    return comparison
  }
}
