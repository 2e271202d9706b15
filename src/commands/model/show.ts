import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../cli/base-command.js'
import {renderTable} from '../../cli/output/table.js'
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
    if (!this.jsonEnabled()) {
      const tags = Object.entries(model.tags).map(([key, value]) => `${key}=${value}`)
      process.stdout.write(
        [
          `${model.name}${model.description ? `: ${model.description}` : ''}`,
          `  aliases    ${Object.entries(model.aliases).map(([alias, v]) => `${alias}→v${v}`).join(', ') || '–'}`,
          `  lifecycle  ${model.lifecycle ?? '–'}`,
          ...(tags.length ? [`  tags       ${tags.join(', ')}`] : []),
          '',
          renderTable(model.versions, [
            {header: 'Version', value: (v) => v.version, align: 'right'},
            {header: 'Run', value: (v) => v.runId ?? '–'},
            {header: 'Status', value: (v) => v.status ?? '–'},
            {header: 'Lifecycle', value: (v) => v.lifecycle ?? '–'},
            {header: 'Aliases', value: (v) => v.aliases.join(', ') || '–'},
            {header: 'Created', value: (v) => v.createdAt?.slice(0, 19).replace('T', ' ') ?? '–'},
            {header: 'Tags', value: (v) => Object.entries(v.tags).filter(([key]) => !key.startsWith('mlflow.')).map(([key, value]) => `${key}=${value}`).join(' ') || '–'},
          ]),
          '',
        ].join('\n'),
      )
    }

    return model
  }
}
