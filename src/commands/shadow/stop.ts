import {Args} from '@oclif/core'

import {BaseCommand} from '../../cli/base-command.js'
import {sessionSummary, shadowRoot, type ShadowSessionSummary} from '../../core/shadow/session.js'
import {stopShadow} from '../../core/shadow/status.js'
import {freqtradeApi} from '../../engines/freqtrade/rest-client.js'
import {killGroup} from '../../engines/python/process-tree.js'

export default class ShadowStop extends BaseCommand<typeof ShadowStop> {
  static override summary = "Stop a shadow session's bot; its trades stay in the session's database."
  static override description =
    'Asks the bot to stop through its own REST API (it finishes its step), then stops its whole process group (SIGTERM, SIGKILL last): no process is left. Stopping a finished session is not an error. Exit 5 for an unknown session.'

  static override examples = ['<%= config.bin %> shadow stop sh-20261201-101500-a1b2c3']
  static override args = {session: Args.string({description: 'Session id.', required: true})}

  async run(): Promise<{session: ShadowSessionSummary}> {
    const {config} = await this.resolveConfig()
    const view = await this.runCore([{id: 'stop', title: 'Stop the bot'}], async (ctx) => stopShadow(shadowRoot(config), this.args.session, freqtradeApi, killGroup, ctx))
    const session = sessionSummary(view)
    if (!this.jsonEnabled()) process.stdout.write(`Session ${session.id}: ${session.status}.\n`)
    return {session}
  }
}
