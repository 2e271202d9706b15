import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../cli/base-command.js'
import {credentialSources} from '../../cli/credential-sources.js'
import {candleSourceConfig, candleSourceFlags, dataFlagConfig, dataFlags} from '../../cli/flags.js'
import {gateKey} from '../../cli/gate-key.js'
import {renderShadowStart} from '../../cli/output/shadow-output.js'
import {dataSettingsFromConfig} from '../../core/backtest/request.js'
import {envCredentials} from '../../core/credentials/env-source.js'
import {profileName} from '../../core/credentials/names.js'
import {DEFAULT_PROFILE} from '../../core/credentials/types.js'
import {UsageError} from '../../core/errors.js'
import {shadowRoot} from '../../core/shadow/session.js'
import {SHADOW_START_STAGES, startShadow, type ShadowStartResult} from '../../core/shadow/start.js'
import {mlflowClient} from '../../engines/mlflow/connect.js'
import {freeLocalPort} from '../../engines/net-port.js'

export default class ShadowStart extends BaseCommand<typeof ShadowStart> {
  static override summary = "Shadow-trade a registered version: Freqtrade's own dry-run bot on a market replay (or live public data)."
  static override description =
    "Runs the REGISTRY's copy of the version's code (like `strategy challenge`) in Freqtrade's real dry-run bot (its Worker, order simulation and sqlite trade database). --replay serves the local candles of --timerange as if live, on a virtual clock advanced by the bot's own loop: offline, deterministic and fast. Without --replay the bot trades live public data in dry-run (needs the network; exit 3 at once without); --exchange-demo trades on the exchange's demo account instead, with the keys of `tradai credentials` (exit 5 when none are stored, 2 for an exchange without demo trading). Detached by default: returns once the bot is up and prints the session id; --foreground runs to the end of the window (SIGTERM/SIGINT stop the bot gracefully, trades kept, exit 143/130). One session per strategy version at a time. Exit 1 no staged version for --alias staging or a session already running, 2 bad flags or a window shorter than the strategy's startup candles, 3 engine/network, 5 unknown strategy, version or candles."

  static override examples = [
    '<%= config.bin %> shadow start SampleRsiStrategy --alias staging --replay --timerange 20180115-20180117 --pairs ETH/BTC LTC/BTC',
    '<%= config.bin %> shadow start SampleRsiStrategy --version 2 --replay --timerange 20180115-20180117 --foreground --json',
    '<%= config.bin %> shadow start SampleRsiStrategy --alias staging --exchange bybit --exchange-demo --pairs BTC/USDT --stake-amount 50',
  ]

  static override args = {name: Args.string({description: 'Registered strategy name.', required: true})}

  static override flags = {
    version: Flags.integer({description: 'Model version (default: the newest).', min: 1, exclusive: ['alias']}),
    alias: Flags.option({options: ['staging'] as const, description: 'Shadow-trade the version this alias points at.'})(),
    replay: Flags.boolean({description: 'Replay local candles offline on a virtual clock (default: live public data, online).'}),
    foreground: Flags.boolean({description: 'Run to the end of the window in this process (default: detached).'}),
    speed: Flags.string({description: 'Replay speed: "max" (default) or a factor of real time, e.g. 600.', default: 'max'}),
    'spread-bps': Flags.string({description: 'Replay spread between bid and ask in basis points (default 5).'}),
    'exchange-demo': Flags.boolean({
      description:
        "Live only: trade on the exchange's demo account (Freqtrade's demo_trading; bybit in Freqtrade 2026.9). Its keys come from `tradai credentials` and reach the bot only as environment variables.",
    }),
    profile: Flags.string({
      description: 'With --exchange-demo: the stored account to use (`tradai credentials set EXCHANGE --profile NAME`; default "default").',
      dependsOn: ['exchange-demo'],
    }),
    ...dataFlags,
    ...candleSourceFlags,
    'output-dir': Flags.directory({description: 'Where the report backtest runs are kept (default <user-data-dir>/backtest_results/tradai).'}),
  }

  async run(): Promise<ShadowStartResult> {
    const resolved = await this.resolveConfig({
      ...dataFlagConfig(this.flags),
      ...candleSourceConfig(this.flags),
      outputDir: this.flags['output-dir'] === undefined ? undefined : {value: this.flags['output-dir'], flag: '--output-dir'},
    })
    const {config} = resolved
    const speed = this.flags.speed === 'max' ? null : Number(this.flags.speed)
    if (speed !== null && !(Number.isFinite(speed) && speed > 0)) throw new UsageError(`--speed ${this.flags.speed} must be "max" or a positive factor of real time, e.g. 600.`)
    const spread = this.flags['spread-bps'] === undefined ? undefined : Number(this.flags['spread-bps'])
    if (spread !== undefined && !(Number.isFinite(spread) && spread >= 0))
      throw new UsageError(`--spread-bps ${this.flags['spread-bps']} must be a number of basis points >= 0, e.g. 5.`)
    if (this.flags['exchange-demo'] && this.flags.replay) throw new UsageError('--exchange-demo is for live shadow trading; drop it or --replay.')
    // The demo account's keys: environment first, then the store, as `credentials test` finds them.
    const account = this.flags['exchange-demo'] ? {profile: profileName(this.flags.profile), sources: credentialSources(config)} : undefined
    const exchange = config.exchange
    const inEnv = account?.profile === DEFAULT_PROFILE && envCredentials(account.sources.env, account.sources.defaultExchange).some((entry) => entry.exchange === exchange)
    if (account && process.stdin.isTTY && !inEnv) await account.sources.store.ask()

    const result = await this.runCore(SHADOW_START_STAGES, async (ctx) => {
      const engine = await this.openEngine(config, ctx)
      return startShadow(
        {
          model: this.args.name,
          version: this.flags.version,
          alias: this.flags.alias,
          mode: this.flags.replay ? 'replay' : 'live',
          demo: this.flags['exchange-demo'],
          account,
          foreground: this.flags.foreground,
          data: {...dataSettingsFromConfig(resolved), candleStore: this.flags.replay ? await this.openCandleStore(config, ctx) : undefined},
          root: shadowRoot(config),
          apiPort: await freeLocalPort(),
          speed,
          spreadBps: spread,
          gateKey: await gateKey(config, process.env, {create: false}),
        },
        engine,
        mlflowClient(config.tracking),
        ctx,
      )
    })
    if (!this.jsonEnabled()) process.stdout.write(renderShadowStart(result))
    return result
  }
}
