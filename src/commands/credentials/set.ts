import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../cli/base-command.js'
import {credentialSources} from '../../cli/credential-sources.js'
import {renderCredentialsSet} from '../../cli/output/credentials-output.js'
import {readHidden, readStdinLines} from '../../cli/secret-input.js'
import {exchangeId, profileName} from '../../core/credentials/names.js'
import {CREDENTIALS_SET_STAGES, setCredentials, type SetCredentialsResult} from '../../core/credentials/set-credentials.js'
import type {ExchangeCredentials} from '../../core/credentials/types.js'

export const profileFlag = Flags.string({description: 'Profile name, for several accounts on one exchange (default: default).'})

export default class CredentialsSet extends BaseCommand<typeof CredentialsSet> {
  static override summary = "Store an exchange's API key, secret and password, encrypted."
  static override description =
    'Reads the key, the secret and (for exchanges that have one, such as okx) the password from stdin, one per line, when stdin is not a terminal; prompts for them without echo when it is. Checks them against what ccxt says the exchange requires, then writes them to the encrypted store (scrypt + AES-256-GCM, mode 0600; credentials.file / TRADAI_CREDENTIALS_FILE, default ~/.config/tradai/credentials.enc). The passphrase comes from TRADAI_CREDENTIALS_PASSPHRASE or a hidden prompt, never from a flag. No value is ever printed.'

  static override examples = [
    '<%= config.bin %> credentials set binance',
    'printf "%s\\n%s\\n" "$KEY" "$SECRET" | TRADAI_CREDENTIALS_PASSPHRASE=... <%= config.bin %> credentials set binance --profile demo',
    'printf "%s\\n%s\\n%s\\n" "$KEY" "$SECRET" "$PASSWORD" | <%= config.bin %> credentials set okx --json',
  ]

  static override args = {
    exchange: Args.string({description: 'ccxt exchange id, e.g. binance, okx, kraken.', required: true}),
  }

  static override flags = {profile: profileFlag}

  async run(): Promise<SetCredentialsResult> {
    const {config} = await this.resolveConfig()
    const exchange = exchangeId(this.args.exchange)
    const profile = profileName(this.flags.profile)
    const sources = credentialSources(config)
    const credentials = process.stdin.isTTY ? await prompted(exchange) : fromLines(await readStdinLines())
    if (process.stdin.isTTY) await sources.store.ask()
    const result = await this.runCore(CREDENTIALS_SET_STAGES, async (ctx) => {
      const engine = await this.openEngine(config, ctx)
      return setCredentials({exchange, profile, credentials, ...sources}, engine, ctx)
    })
    if (!this.jsonEnabled()) process.stdout.write(renderCredentialsSet(result))
    return result
  }
}

function fromLines(lines: string[]): Partial<ExchangeCredentials> {
  const [key, secret, password] = lines
  return {key, secret, password}
}

async function prompted(exchange: string): Promise<Partial<ExchangeCredentials>> {
  return {
    key: await readHidden(`${exchange} API key: `),
    secret: await readHidden(`${exchange} API secret: `),
    password: await readHidden(`${exchange} API password/passphrase (empty if it has none): `),
  }
}
