import {BaseCommand} from '../../cli/base-command.js'
import {renderTable} from '../../cli/output/table.js'
import {describeConfig, type ConfigEntry} from '../../core/config/describe.js'

export default class ConfigShow extends BaseCommand<typeof ConfigShow> {
  static override summary = 'Show every configuration key, its value and where it came from: default, config file, environment variable, flag, or not set (secrets masked).'

  async run(): Promise<{file: string | null; entries: ConfigEntry[]}> {
    const resolved = await this.resolveConfig()
    const entries = describeConfig(resolved)
    if (!this.jsonEnabled()) {
      process.stdout.write(`Config file: ${resolved.file ?? '(none found)'}\n\n`)
      process.stdout.write(
        `${renderTable(entries, [
          {header: 'Key', value: (entry) => entry.key},
          {header: 'Value', value: (entry) => (entry.sourceKind === 'unset' ? '–' : typeof entry.value === 'string' ? entry.value : JSON.stringify(entry.value))},
          {header: 'From', value: (entry) => entry.source},
        ])}\n`,
      )
    }

    return {file: resolved.file ?? null, entries}
  }
}
