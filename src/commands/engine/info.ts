import {BaseCommand} from '../../cli/base-command.js'
import {describeSource} from '../../core/config/load.js'
import {renderEngineInfo} from '../../cli/output/engine-output.js'
import {engineInfo, type EngineInfo} from '../../engines/python/engine-info.js'

export default class EngineInfoCommand extends BaseCommand<typeof EngineInfoCommand> {
  static override summary = 'Where the Python engine is, whether it is installed, and its package versions.'

  async run(): Promise<EngineInfo & {dirSource: string}> {
    const {config, sources} = await this.resolveConfig()
    // Where the folder came from: the per-user default, a project config, TRADAI_ENGINE_DIR.
    const info = {...engineInfo(config.engine.dir), dirSource: describeSource(sources['engine.dir'])}
    if (!this.jsonEnabled()) process.stdout.write(renderEngineInfo(info))
    return info
  }
}
