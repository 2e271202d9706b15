import type {StrategyConfigEdit} from '../../core/strategy-config/strategy-config.js'

export function renderStrategyConfigEdit(result: StrategyConfigEdit): string {
  const shown = (value: unknown) => (value === null ? '(unset)' : JSON.stringify(value))
  return result.changed
    ? `${result.configFile}: ${result.key} ${shown(result.previous)} → ${result.action === 'set' ? shown(result.value) : '(unset)'}\n`
    : `${result.configFile}: ${result.key} was not set; nothing changed.\n`
}
