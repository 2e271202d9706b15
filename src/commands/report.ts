import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../cli/base-command.js'
import {dataFlagConfig} from '../cli/flags.js'
import {runDirFlags, runOutputDirs} from '../cli/run-dirs.js'
import {reportRun} from '../core/report/html-report.js'
import {UsageError} from '../core/errors.js'

export default class Report extends BaseCommand<typeof Report> {
  static override summary = 'Write one self-contained HTML report of a run (backtest, sweep, walk-forward).'
  static override description =
    'Headline metrics, equity and drawdown charts with time axes, per-pair and exit-reason tables, the trade list and parameters; a sweep adds its heatmap and points, a walk-forward its windows and stitched out-of-sample equity. Scripts, styles and data are inline: the file opens offline. It is written into the run folder (report.html) and, with --out, to FILE too.'

  static override examples = ['<%= config.bin %> report --latest', '<%= config.bin %> report bt-20260101-120000-abc123 --out report.html']
  static override args = {runId: Args.string({description: 'Run id (see `tradai runs list`).'})}
  static override flags = {
    latest: Flags.boolean({description: 'Report on the newest finished run.'}),
    out: Flags.file({description: 'Also write the report to this file.'}),
    ...runDirFlags,
  }

  async run(): Promise<{file: string; runId: string; kind: string}> {
    if (!this.args.runId && !this.flags.latest) throw new UsageError('Name a run id or pass --latest.', {suggestions: ['Run `tradai runs list` to see the run ids.']})
    if (this.args.runId && this.flags.latest) throw new UsageError('Pass a run id or --latest, not both.')
    const resolved = await this.resolveConfig(dataFlagConfig(this.flags))
    const result = await this.runCore([], async () =>
      reportRun({outputDirs: runOutputDirs(resolved, this.flags['output-dir']), runId: this.args.runId, latest: this.flags.latest, out: this.flags.out}),
    )
    if (!this.jsonEnabled()) process.stdout.write(`Report of ${result.kind} ${result.runId}: ${result.file}\n`)
    return result
  }
}
