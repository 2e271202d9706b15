import {Args} from '@oclif/core'

import {BaseCommand} from '../../cli/base-command.js'
import {renderShadowStatus} from '../../cli/output/shadow-output.js'
import {shadowRoot} from '../../core/shadow/session.js'
import {resolveSessionId, shadowStatus, type ShadowStatusResult} from '../../core/shadow/status.js'
import {freqtradeApi} from '../../engines/freqtrade/rest-client.js'

export default class ShadowStatus extends BaseCommand<typeof ShadowStatus> {
  static override summary = "A shadow session's status, virtual clock, progress, trades and profit."
  static override description =
    "While the bot runs: from its own REST API (127.0.0.1, the session's random credentials) and the clock the engine writes; after: from the session's trade database. Status is running, completed, stopped, failed, or dead (its process vanished). Default: the newest session. Exit 5 for an unknown session."

  static override examples = ['<%= config.bin %> shadow status', '<%= config.bin %> shadow status sh-20261201-101500-a1b2c3 --json']
  static override args = {session: Args.string({description: 'Session id (default: the newest).'})}

  async run(): Promise<ShadowStatusResult> {
    const {config} = await this.resolveConfig()
    const root = shadowRoot(config)
    const result = await this.runCore([{id: 'engine', title: 'Python engine'}], async (ctx) => {
      const id = await resolveSessionId(root, this.args.session)
      const engine = await this.openEngine(config, ctx)
      return shadowStatus(root, id, freqtradeApi, engine, ctx)
    })
    if (!this.jsonEnabled()) process.stdout.write(renderShadowStatus(result))
    return result
  }
}
