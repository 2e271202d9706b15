import type {EngineInfo} from '../../engines/python/engine-info.js'

/** The human form of `tradai engine info`. */
export function renderEngineInfo(info: EngineInfo & {dirSource?: string}): string {
  const lines = [
    `Engine   ${info.dir} (${info.status}${info.reason ? `: ${info.reason}` : ''})`,
    ...(info.dirSource ? [`  from   ${info.dirSource}`] : []),
    `Python   ${info.python}`,
    `Pins     ${info.requirements} (${info.lockHash})`,
  ]
  for (const [name, version] of Object.entries(info.packages)) lines.push(`  ${name.padEnd(10)} ${version ?? 'missing'}`)
  if (info.status !== 'ready') lines.push('Run `tradai engine setup` to install it.')
  return `${lines.join('\n')}\n`
}
