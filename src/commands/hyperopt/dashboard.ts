import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../cli/base-command.js'
import {serveDashboard} from '../../engines/optuna/dashboard.js'
import {studiesDir} from '../../core/hyperopt/study-lock.js'

export default class HyperoptDashboard extends BaseCommand<typeof HyperoptDashboard> {
  static override summary = "Open optuna-dashboard on a study's storage at 127.0.0.1 (Ctrl-C stops it)."
  static override examples = ['<%= config.bin %> hyperopt dashboard rsi-1', '<%= config.bin %> hyperopt dashboard rsi-1 --port 8081']
  // Runs until Ctrl-C: there is no result document to print.
  static override enableJsonFlag = false

  static override args = {
    study: Args.string({description: 'Study name.', required: true}),
  }

  static override flags = {
    port: Flags.integer({description: 'Port on 127.0.0.1.', default: 8080}),
    storage: Flags.string({description: 'PostgreSQL storage of the study (default: the journal folder).', env: 'TRADAI_HYPEROPT_STORAGE'}),
    'studies-dir': Flags.directory({description: 'Folder of journal-file studies (config studiesDir; default `studies` beside the engine).', env: 'TRADAI_STUDIES_DIR'}),
  }

  async run(): Promise<void> {
    const {config} = await this.resolveConfig()
    await this.runCore([{id: 'engine', title: 'Python engine'}], async (ctx) => {
      await this.openEngine(config, ctx)
      return serveDashboard(
        {
          study: this.args.study,
          storage: this.flags.storage,
          studiesDir: this.flags['studies-dir'] ?? studiesDir(config),
          engineDir: config.engine.dir,
          port: this.flags.port,
          env: process.env,
        },
        ctx,
        (url) => process.stdout.write(`optuna-dashboard for study ${this.args.study}: ${url}\nPress Ctrl-C to stop it.\n`),
      )
    })
  }
}
