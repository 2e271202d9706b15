import {Args} from '@oclif/core'

import {BaseCommand} from '../../cli/base-command.js'
import {credentialSources} from '../../cli/credential-sources.js'
import {renderCredentialsRemove} from '../../cli/output/credentials-output.js'
import {exchangeId, profileName} from '../../core/credentials/names.js'
import {removeCredentials, type RemoveCredentialsResult} from '../../core/credentials/remove-credentials.js'
import {profileFlag} from './set.js'

export default class CredentialsRemove extends BaseCommand<typeof CredentialsRemove> {
  static override summary = "Delete an exchange's stored credentials."
  static override description =
    'Removes one exchange and profile from the encrypted store (rewritten atomically). Credentials from environment variables are not removed: unset the variables. An unknown exchange or profile exits 5.'

  static override examples = ['<%= config.bin %> credentials remove binance', '<%= config.bin %> credentials remove binance --profile demo --json']

  static override args = {
    exchange: Args.string({description: 'ccxt exchange id, e.g. binance.', required: true}),
  }

  static override flags = {profile: profileFlag}

  async run(): Promise<RemoveCredentialsResult> {
    const {config} = await this.resolveConfig()
    const result = await removeCredentials(exchangeId(this.args.exchange), profileName(this.flags.profile), credentialSources(config))
    if (!this.jsonEnabled()) process.stdout.write(renderCredentialsRemove(result))
    return result
  }
}
