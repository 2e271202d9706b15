import {BaseCommand} from '../../cli/base-command.js'
import {renderShadowList} from '../../cli/output/shadow-output.js'
import {listSessions, sessionSummary, shadowRoot, type ShadowSessionSummary} from '../../core/shadow/session.js'

export default class ShadowList extends BaseCommand<typeof ShadowList> {
  static override summary = 'List shadow sessions, oldest first, with their status.'
  static override examples = ['<%= config.bin %> shadow list', '<%= config.bin %> shadow list --json']

  async run(): Promise<{sessions: ShadowSessionSummary[]}> {
    const {config} = await this.resolveConfig()
    const sessions = (await listSessions(shadowRoot(config))).map((view) => sessionSummary(view))
    if (!this.jsonEnabled()) process.stdout.write(renderShadowList(sessions))
    return {sessions}
  }
}
