import {BaseCommand} from '../../cli/base-command.js'
import {engineLocation, engineState, lockHash, REQUIREMENTS_LOCK} from '../../engines/python/engine-env.js'

export interface EngineInfo {
  dir: string
  python: string
  status: string
  reason?: string
  requirements: string
  lockHash: string
  installedAt: string | null
  packages: Record<string, string | null>
}

export default class EngineInfoCommand extends BaseCommand<typeof EngineInfoCommand> {
  static override summary = 'Where the Python engine is, whether it is installed, and its package versions.'

  async run(): Promise<EngineInfo> {
    const {config} = await this.resolveConfig()
    const location = engineLocation(config.engine.dir)
    const state = engineState(location)
    const info: EngineInfo = {
      dir: location.dir,
      python: location.python,
      status: state.status,
      ...(state.status === 'ready' ? {} : {reason: state.reason}),
      requirements: REQUIREMENTS_LOCK,
      lockHash: lockHash(),
      installedAt: state.status === 'ready' ? state.stamp.installedAt : null,
      packages: state.status === 'ready' ? state.stamp.packages : {},
    }
    if (!this.jsonEnabled()) {
      process.stdout.write(`Engine   ${info.dir} (${info.status}${info.reason ? `: ${info.reason}` : ''})\nPython   ${info.python}\nPins     ${info.requirements} (${info.lockHash})\n`)
      for (const [name, version] of Object.entries(info.packages)) process.stdout.write(`  ${name.padEnd(10)} ${version ?? 'missing'}\n`)
      if (state.status !== 'ready') process.stdout.write('Run `tradai engine setup` to install it.\n')
    }

    return info
  }
}
