import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../cli/base-command.js'
import {renderModel} from '../../cli/output/model-output.js'
import {MODEL_STAGES, showModel, type ModelView} from '../../core/tracking/models.js'
import {mlflowClient} from '../../engines/mlflow/connect.js'

export default class ModelShow extends BaseCommand<typeof ModelShow> {
  static override summary = 'Show a registered model: its versions, their runs, tags and aliases.'
  static override examples = ['<%= config.bin %> model show SampleRsiStrategy', '<%= config.bin %> model show SampleRsiStrategy --version 2 --json']

  static override args = {
    name: Args.string({description: 'Registered model name.', required: true}),
  }

  static override flags = {
    version: Flags.integer({description: 'Only this version.', min: 1}),
  }

  async run(): Promise<ModelView> {
    const {config} = await this.resolveConfig()
    const model = await this.runCore(MODEL_STAGES, (ctx) =>
      showModel(mlflowClient(config.tracking), this.args.name, this.flags.version === undefined ? undefined : String(this.flags.version), ctx),
    )
    if (!this.jsonEnabled()) process.stdout.write(renderModel(model, process.stdout.columns || 100))

    return model
  }
}
