import {BaseCommand} from '../../cli/base-command.js'
import {credentialSources} from '../../cli/credential-sources.js'
import {renderCredentialsList} from '../../cli/output/credentials-output.js'
import {listCredentials, type ListCredentialsResult} from '../../core/credentials/list-credentials.js'

export default class CredentialsList extends BaseCommand<typeof CredentialsList> {
  static override summary = 'List the exchange credentials tradai can use, masked.'
  static override description =
    'Environment variables (TRADAI_EXCHANGE_<EXCHANGE>_KEY/_SECRET/_PASSWORD, FREQTRADE__EXCHANGE__KEY/__SECRET/__PASSWORD) first, they take precedence, then the encrypted store. Keys are shown as abcd…wxyz; secrets and passwords only as yes/no. Reading the store needs its passphrase.'

  static override examples = ['<%= config.bin %> credentials list', '<%= config.bin %> credentials list --json']

  async run(): Promise<ListCredentialsResult> {
    const {config} = await this.resolveConfig()
    const result = await listCredentials(credentialSources(config))
    if (!this.jsonEnabled()) process.stdout.write(renderCredentialsList(result))
    return result
  }
}
