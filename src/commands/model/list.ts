import {BaseCommand} from '../../cli/base-command.js'
import {renderTable} from '../../cli/output/table.js'
import {listModels, MODEL_STAGES, type ModelView} from '../../core/tracking/models.js'
import {mlflowClient} from '../../engines/mlflow/connect.js'

export default class ModelList extends BaseCommand<typeof ModelList> {
  static override summary = "List MLflow's registered models with their versions, aliases and lifecycle state."
  static override examples = ['<%= config.bin %> model list', '<%= config.bin %> model list --json']

  async run(): Promise<{uri: string; models: ModelView[]}> {
    const {config} = await this.resolveConfig()
    const result = await this.runCore(MODEL_STAGES, (ctx) => listModels(mlflowClient(config.tracking), ctx))
    if (!this.jsonEnabled()) {
      process.stdout.write(
        result.models.length === 0
          ? `No registered models at ${result.uri}.\n`
          : `${renderTable(result.models, [
              {header: 'Model', value: (m) => m.name},
              {header: 'Versions', value: (m) => String(m.versions.length), align: 'right'},
              {header: 'Latest', value: (m) => m.latestVersion ?? '–', align: 'right'},
              {
                header: 'Aliases',
                value: (m) =>
                  Object.entries(m.aliases)
                    .map(([alias, v]) => `${alias}→v${v}`)
                    .join(', ') || '–',
              },
              {header: 'Lifecycle', value: (m) => m.lifecycle ?? '–'},
              {header: 'Updated', value: (m) => m.updatedAt?.slice(0, 19).replace('T', ' ') ?? '–'},
            ])}\n`,
      )
    }

    return result
  }
}
