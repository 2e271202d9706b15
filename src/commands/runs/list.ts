import {Flags} from '@oclif/core'

import {BaseCommand} from '../../cli/base-command.js'
import {dataFlagConfig} from '../../cli/flags.js'
import {renderRunList} from '../../cli/output/runs-output.js'
import {runDirFlags, runOutputDirs} from '../../cli/run-dirs.js'
import {listRuns, RUN_KINDS, type RunSummary} from '../../core/runs/list-runs.js'

export default class RunsList extends BaseCommand<typeof RunsList> {
  static override summary = 'List past runs (backtests, sweeps, walk-forwards) from the local run folders, newest first.'
  static override description = 'Reads the run folders under the output folder; no MLflow needed. A run that failed or was interrupted is listed as such, with its error.'
  static override examples = ['<%= config.bin %> runs list', '<%= config.bin %> runs list --strategy SampleRsiStrategy --kind sweep --limit 5 --json']

  static override flags = {
    strategy: Flags.string({char: 's', description: 'Only runs of this strategy.'}),
    kind: Flags.string({description: `Only runs of this kind: ${RUN_KINDS.join(', ')}.`}),
    limit: Flags.integer({description: 'At most this many runs.'}),
    ...runDirFlags,
  }

  async run(): Promise<{runs: RunSummary[]}> {
    const resolved = await this.resolveConfig(dataFlagConfig(this.flags))
    const runs = await this.runCore([], async () =>
      listRuns({outputDirs: runOutputDirs(resolved, this.flags['output-dir']), strategy: this.flags.strategy, kind: this.flags.kind, limit: this.flags.limit}),
    )
    if (!this.jsonEnabled()) process.stdout.write(renderRunList(runs))
    return {runs}
  }
}
