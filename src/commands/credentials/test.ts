import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../cli/base-command.js'
import {credentialSources} from '../../cli/credential-sources.js'
import {renderCredentialsTest} from '../../cli/output/credentials-output.js'
import {envCredentials} from '../../core/credentials/env-source.js'
import {exchangeId, profileName} from '../../core/credentials/names.js'
import {CREDENTIALS_TEST_STAGES, testCredentials, type TestCredentialsResult} from '../../core/credentials/test-credentials.js'
import {DEFAULT_PROFILE} from '../../core/credentials/types.js'
import {CheckFailedError} from '../../core/errors.js'
import {profileFlag} from './set.js'

export default class CredentialsTest extends BaseCommand<typeof CredentialsTest> {
  static override summary = 'Check that exchange credentials work: offline by default, --online against the exchange.'
  static override description =
    "Offline: the fields ccxt requires are present, the values look like keys, and a private request (the balance) is built and signed by ccxt's own sign() with them, then dropped, not sent. --online: one read-only private call (the balance), then the key's permissions where the exchange exposes them (binance, okx); withdrawal rights are a warning. Exits 1 when a check fails, 3 when the exchange cannot be reached (within seconds), 5 when no credentials exist for the exchange/profile."

  static override examples = [
    '<%= config.bin %> credentials test binance',
    '<%= config.bin %> credentials test okx --profile demo --online --json',
    '<%= config.bin %> credentials test binance --online --api-url https://testnet.binance.vision',
  ]

  static override args = {
    exchange: Args.string({description: 'ccxt exchange id, e.g. binance.', required: true}),
  }

  static override flags = {
    profile: profileFlag,
    online: Flags.boolean({description: 'Make one read-only private call (the balance) instead of only signing one locally.'}),
    'api-url': Flags.string({
      description: "With --online: send to this origin instead of the exchange's (a testnet or a proxy); paths stay ccxt's.",
      dependsOn: ['online'],
    }),
  }

  async run(): Promise<TestCredentialsResult> {
    const {config} = await this.resolveConfig()
    const exchange = exchangeId(this.args.exchange)
    const profile = profileName(this.flags.profile)
    const sources = credentialSources(config)
    // The store is unlocked only when the environment does not already hold these credentials.
    const inEnv = profile === DEFAULT_PROFILE && envCredentials(sources.env, sources.defaultExchange).some((entry) => entry.exchange === exchange)
    if (process.stdin.isTTY && !inEnv) await sources.store.ask()
    const result = await this.runCore(CREDENTIALS_TEST_STAGES, async (ctx) => {
      const engine = await this.openEngine(config, ctx)
      return testCredentials({exchange, profile, online: Boolean(this.flags.online), apiUrl: this.flags['api-url']}, sources, engine, ctx)
    })
    const failed = result.checks.filter((check) => !check.passed).map((check) => check.check)
    return this.finishCheck(result, renderCredentialsTest(result), result.passed ? undefined : new CheckFailedError(`Credentials check failed: ${failed.join(', ')}.`))
  }
}
