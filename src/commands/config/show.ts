import {BaseCommand} from '../../cli/base-command.js'
import {renderTable} from '../../cli/output/table.js'
import {elide} from '../../cli/output/wrap.js'
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
          // A long list (challenge.criteria) would widen every row: shortened here, whole under --json.
          {header: 'Value', value: (entry) => (entry.sourceKind === 'unset' ? '–' : elide(typeof entry.value === 'string' ? entry.value : JSON.stringify(entry.value), 70))},
          {header: 'From', value: (entry) => entry.source},
        ])}\n`,
      )
    }

    return {file: resolved.file ?? null, entries}
  }
}
