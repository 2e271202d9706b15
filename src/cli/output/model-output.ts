import type {ModelView} from '../../core/tracking/models.js'
import {renderTable} from './table.js'
import {elide, wrapItems} from './wrap.js'

/** A tag value longer than this is shortened in the table (MLflow tags hold whole configs and paths). */
export const TAG_VALUE_WIDTH = 60

/** `key=value` items, values on one line and elided; MLflow's own version tags (mlflow.*) left out. */
function tagItems(tags: Record<string, string>, withMlflow: boolean): {items: string[]; elided: boolean} {
  const entries = Object.entries(tags).filter(([key]) => withMlflow || !key.startsWith('mlflow.'))
  return {
    items: entries.map(([key, value]) => `${key}=${elide(value.replace(/\s+/g, ' '), TAG_VALUE_WIDTH)}`),
    elided: entries.some(([, value]) => value.length > TAG_VALUE_WIDTH),
  }
}

/**
 * `tradai model show`: the model, its versions table, then each version's tags wrapped to the
 * terminal width with long values elided, instead of one table row as wide as all its tags.
 */
export function renderModel(model: ModelView, width = 100): string {
  const modelTags = tagItems(model.tags, true)
  const lines = [
    `${model.name}${model.description ? `: ${model.description}` : ''}`,
    `  aliases    ${
      Object.entries(model.aliases)
        .map(([alias, v]) => `${alias}→v${v}`)
        .join(', ') || '–'
    }`,
    `  lifecycle  ${model.lifecycle ?? '–'}`,
    ...(modelTags.items.length > 0 ? wrapItems(modelTags.items, width, '  tags       ', ', ') : []),
    '',
    renderTable(model.versions, [
      {header: 'Version', value: (v) => v.version, align: 'right'},
      {header: 'Run', value: (v) => v.runId ?? '–'},
      {header: 'Status', value: (v) => v.status ?? '–'},
      {header: 'Lifecycle', value: (v) => v.lifecycle ?? '–'},
      {header: 'Aliases', value: (v) => v.aliases.join(', ') || '–'},
      {header: 'Created', value: (v) => v.createdAt?.slice(0, 19).replace('T', ' ') ?? '–'},
    ]),
  ]
  let elided = modelTags.elided
  const versionTags = model.versions.map((v) => ({version: v.version, ...tagItems(v.tags, false)})).filter((v) => v.items.length > 0)
  if (versionTags.length > 0) {
    lines.push('', 'Version tags')
    const label = Math.max(...versionTags.map((v) => v.version.length)) + 1
    for (const v of versionTags) {
      lines.push(...wrapItems(v.items, width, `  ${`v${v.version}`.padEnd(label)}  `))
      elided ||= v.elided
    }
  }

  if (elided) lines.push('', `(tag values longer than ${TAG_VALUE_WIDTH} characters are shortened; --json has them in full)`)
  return `${lines.join('\n')}\n`
}
