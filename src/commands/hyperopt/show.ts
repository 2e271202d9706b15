import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../cli/base-command.js'
import {dataFlagConfig, dataFlags} from '../../cli/flags.js'
import {renderStudy} from '../../cli/output/hyperopt-output.js'
import {freqtradeResultsDir, showStudy, type StudyDetail} from '../../core/hyperopt/studies.js'
import {studiesDir} from '../../core/hyperopt/study-lock.js'

export default class HyperoptShow extends BaseCommand<typeof HyperoptShow> {
  static override summary = 'Show a study (best trial, Pareto front, trials) or one trial.'
  static override examples = [
    '<%= config.bin %> hyperopt show rsi-1',
    '<%= config.bin %> hyperopt show rsi-1 --trial 12 --json',
    '<%= config.bin %> hyperopt show rsi-1 --filter "profitTotal > 0" --sort-by profitTotal --top 5',
  ]

  static override args = {
    study: Args.string({description: 'Study name.', required: true}),
  }

  static override flags = {
    trial: Flags.integer({description: 'Show this trial (its params, metrics and the params file it would export).'}),
    storage: Flags.string({description: 'PostgreSQL storage of the study (default: the journal folder).', env: 'TRADAI_HYPEROPT_STORAGE'}),
    'studies-dir': Flags.directory({description: 'Folder of journal-file studies (config studiesDir; default `studies` beside the engine).', env: 'TRADAI_STUDIES_DIR'}),
    'user-data-dir': dataFlags['user-data-dir'],
    'sort-by': Flags.string({
      description:
        'Sort the trials best first by loss, number or a metric (totalTrades, profitTotal, maxDrawdown, sharpe, ...): loss, number and maxDrawdown ascending, the rest descending.',
    }),
    top: Flags.integer({description: 'Show only the first N trials (after --filter and --sort-by).'}),
    filter: Flags.string({
      description: 'Keep the trials where this holds, e.g. "profitTotal > 0" or "totalTrades >= 10" (the challenge criterion grammar; repeatable, all must hold).',
      multiple: true,
    }),
  }

  async run(): Promise<StudyDetail> {
    const {config} = await this.resolveConfig(dataFlagConfig({'user-data-dir': this.flags['user-data-dir']}))
    const result = await this.runCore([{id: 'engine', title: 'Python engine'}], async (ctx) => {
      const engine = await this.openEngine(config, ctx)
      return showStudy(
        {
          study: this.args.study,
          trial: this.flags.trial,
          storage: this.flags.storage,
          studiesDir: this.flags['studies-dir'] ?? studiesDir(config),
          resultsDir: freqtradeResultsDir(config.userDataDir),
          sortBy: this.flags['sort-by'],
          top: this.flags.top,
          filter: this.flags.filter,
        },
        engine,
        ctx,
      )
    })
    if (!this.jsonEnabled()) process.stdout.write(renderStudy(result))
    return result
  }
}
