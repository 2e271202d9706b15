import type {CoreContext} from '../events.js'
import {aliasDrift, describeDrift, type AliasDrift} from '../registry/drift.js'
import {withRegistryLock} from '../registry/lock.js'
import type {RegistryPort} from '../registry/port.js'
import {readRegistryState} from '../registry/state.js'

/** The `--json` document of `tradai promote NAME --repair` (docs/schemas/promote-repair.schema.json). */
export interface RepairResult {
  model: {name: string}
  dryRun: boolean
  /** The aliases that disagreed with the audit log and were (or would be) restored. */
  repaired: AliasDrift[]
  aliases: {staging: number | null; production: number | null}
}

/**
 * Points every alias back where the audit log says it should be, under the registry lock. The
 * audit log is tradai's record of every gated transition; an alias moved by hand bypassed the gates.
 */
export async function repairAliases(request: {model: string; who: string; dryRun: boolean}, port: RegistryPort, ctx: CoreContext): Promise<RepairResult> {
  const plan = async () => {
    const state = await readRegistryState(port, request.model, ctx.signal)
    return {state, drift: aliasDrift(state.aliases, state.audit)}
  }

  ctx.onEvent({type: 'stage', stage: 'lock', status: request.dryRun ? 'skip' : 'start'})
  const {state} = await plan()
  if (request.dryRun) {
    const drift = aliasDrift(state.aliases, state.audit)
    for (const entry of drift) ctx.onEvent({type: 'log', level: 'warning', message: describeDrift(request.model, entry)})
    return {model: {name: request.model}, dryRun: true, repaired: drift, aliases: state.aliases}
  }

  return withRegistryLock(port, request.model, {who: request.who, signal: ctx.signal}, async () => {
    ctx.onEvent({type: 'stage', stage: 'lock', status: 'done'})
    const {state, drift} = await plan()
    ctx.onEvent({type: 'stage', stage: 'apply', status: 'start'})
    for (const entry of drift) {
      if (entry.expected === null) await port.deleteModelAlias(request.model, entry.alias, ctx.signal)
      else await port.setModelAlias(request.model, entry.alias, String(entry.expected), ctx.signal)
      ctx.onEvent({
        type: 'log',
        level: 'info',
        message: `alias ${entry.alias} restored to ${entry.expected === null ? 'unset' : `v${entry.expected}`} (was ${entry.actual === null ? 'unset' : `v${entry.actual}`})`,
      })
    }

    ctx.onEvent({type: 'stage', stage: 'apply', status: 'done'})
    const after = await readRegistryState(port, request.model, ctx.signal)
    return {model: {name: request.model}, dryRun: false, repaired: drift, aliases: after.aliases ?? state.aliases}
  })
}
