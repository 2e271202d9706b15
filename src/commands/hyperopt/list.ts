import {Flags} from '@oclif/core'

import {BaseCommand} from '../../cli/base-command.js'
import {dataFlagConfig, dataFlags} from '../../cli/flags.js'
import {renderStudyList} from '../../cli/output/hyperopt-output.js'
import {freqtradeResultsDir, listStudies, type StudyList} from '../../core/hyperopt/studies.js'
import {studiesDir} from '../../core/hyperopt/study-lock.js'

export default class HyperoptList extends BaseCommand<typeof HyperoptList> {
  static override summary = "List studies, Optuna's and Freqtrade-engine runs (.fthypt): name, engine, trials, best loss, last update."
  static override examples = ['<%= config.bin %> hyperopt list', '<%= config.bin %> hyperopt list --storage postgresql://tradai@db/studies --json']

  static override flags = {
    storage: Flags.string({description: 'List the studies in this PostgreSQL storage instead of the journal folder.', env: 'TRADAI_HYPEROPT_STORAGE'}),
    'studies-dir': Flags.directory({description: 'Folder of journal-file studies (config studiesDir; default `studies` beside the engine).', env: 'TRADAI_STUDIES_DIR'}),
    'user-data-dir': dataFlags['user-data-dir'],
  }

  async run(): Promise<StudyList> {
    const {config} = await this.resolveConfig(dataFlagConfig({'user-data-dir': this.flags['user-data-dir']}))
    const result = await this.runCore([{id: 'engine', title: 'Python engine'}], async (ctx) => {
      const engine = await this.openEngine(config, ctx)
      return listStudies(
        {storage: this.flags.storage, studiesDir: this.flags['studies-dir'] ?? studiesDir(config), resultsDir: freqtradeResultsDir(config.userDataDir)},
        engine,
        ctx,
      )
    })
    if (!this.jsonEnabled()) process.stdout.write(renderStudyList(result))
    return result
  }
}
