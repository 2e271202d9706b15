import {BaseCommand} from '../../cli/base-command.js'
import {renderEngineInfo} from '../../cli/output/engine-output.js'
import {engineInfo, type EngineInfo} from '../../engines/python/engine-info.js'

export default class EngineInfoCommand extends BaseCommand<typeof EngineInfoCommand> {
  static override summary = 'Where the Python engine is, whether it is installed, and its package versions.'

  async run(): Promise<EngineInfo> {
    const {config} = await this.resolveConfig()
    const info = engineInfo(config.engine.dir)
    if (!this.jsonEnabled()) process.stdout.write(renderEngineInfo(info))
    return info
  }
}
