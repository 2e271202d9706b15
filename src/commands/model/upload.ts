import {Args, Flags} from '@oclif/core'
import path from 'node:path'

import {BaseCommand} from '../../cli/base-command.js'
import {UPLOAD_STAGES, uploadModel, type UploadModelResult} from '../../core/tracking/models.js'
import {experimentName} from '../../core/tracking/paths.js'
import {runContext} from '../../core/tracking/run-context.js'
import {mlflowClient} from '../../engines/mlflow/connect.js'

export default class ModelUpload extends BaseCommand<typeof ModelUpload> {
  static override summary = 'Attach a model artefact (file or folder) to a run and register it as a model version.'
  static override description =
    "Uploads PATH under the run's `model/` artifacts (with progress) and creates a version of the registered model (default: the strategy's name) whose source is that folder. Without --run, a new run is created in the strategy's experiment."

  static override examples = [
    '<%= config.bin %> model upload ./models/rsi-classifier.pkl --strategy SampleRsiStrategy',
    '<%= config.bin %> model upload ./models/lstm/ --strategy SampleRsiStrategy --run 3f2a... --name rsi-lstm --json',
  ]

  static override args = {
    path: Args.string({description: 'The model file or folder.', required: true}),
  }

  static override flags = {
    strategy: Flags.string({char: 's', description: 'The strategy the model belongs to.', required: true}),
    run: Flags.string({description: 'Attach to this MLflow run id (default: a new run).'}),
    name: Flags.string({description: 'Registered model name (default: the strategy name).'}),
  }

  async run(): Promise<UploadModelResult> {
    const {config} = await this.resolveConfig()
    const result = await this.runCore(UPLOAD_STAGES, (ctx) =>
      uploadModel(
        mlflowClient(config.tracking),
        {
          path: path.resolve(this.args.path),
          strategy: this.flags.strategy,
          name: this.flags.name ?? this.flags.strategy,
          runId: this.flags.run,
          experimentName: experimentName(config.tracking, this.flags.strategy),
          user: runContext(process.env, this.config.version).user,
        },
        ctx,
      ),
    )
    if (!this.jsonEnabled()) {
      process.stdout.write(`Registered ${result.name} version ${result.version} (${result.files} file(s), ${result.bytes} bytes) from run ${result.runId}\n  ${result.runUrl}\n`)
    }

    return result
  }
}
