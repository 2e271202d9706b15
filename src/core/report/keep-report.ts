import type {CoreContext} from '../events.js'
import {writeRunReport} from './html-report.js'

/**
 * Writes the run's HTML report into its folder after the run finished. The run already
 * succeeded, so a report that cannot be written is a warning, never a failure.
 */
export async function keepReport(runDir: string, ctx: CoreContext): Promise<string | undefined> {
  try {
    return (await writeRunReport(runDir)).file
  } catch (error) {
    ctx.onEvent({type: 'log', level: 'warning', message: `No HTML report written for ${runDir}: ${(error as Error).message}`})
    return undefined
  }
}
