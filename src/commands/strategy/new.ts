import {Args, Flags} from '@oclif/core'
import {userInfo} from 'node:os'
import path from 'node:path'

import {BaseCommand} from '../../cli/base-command.js'
import {scaffoldStrategy, type ScaffoldResult} from '../../core/scaffold/scaffold-strategy.js'

const DEFAULT_PAIRS = ['BTC/USDT', 'ETH/USDT']

export default class StrategyNew extends BaseCommand<typeof StrategyNew> {
  static override summary = 'Scaffold a TradAIStrategy and a test that lints and backtests it.'
  static override description =
    'Writes <dir>/<snake_name>.py (a TradAIStrategy with metadata, hyperoptable parameters and no lookahead) and <tests-dir>/test_<snake_name>.py (a Python unittest that runs `tradai strategy lint --strict` and `tradai strategy backtest` on it). Never overwrites a file: an existing file or an invalid class name is a usage error (exit 2).'

  static override examples = ['<%= config.bin %> strategy new MyRsiStrategy', '<%= config.bin %> strategy new MyRsiStrategy --timeframe 1h --pairs BTC/USDT ETH/USDT']

  static override args = {
    name: Args.string({description: 'Strategy class name in CapWords, e.g. MyRsiStrategy.', required: true}),
  }

  static override flags = {
    dir: Flags.directory({description: 'Folder for the strategy file (default: config strategiesDir).'}),
    'tests-dir': Flags.directory({description: 'Folder for the test file.', default: 'tests'}),
    timeframe: Flags.string({description: 'Candle timeframe of the strategy (default: config timeframe, else 5m).'}),
    pairs: Flags.string({description: `Default pairs (default: config pairs, else ${DEFAULT_PAIRS.join(' ')}).`, multiple: true}),
    exchange: Flags.string({description: 'Exchange id for the metadata (default: config exchange).'}),
    author: Flags.string({description: 'Author for the metadata (default: your user name).'}),
  }

  async run(): Promise<ScaffoldResult> {
    const {config} = await this.resolveConfig({
      timeframe: this.flags.timeframe === undefined ? undefined : {value: this.flags.timeframe, flag: '--timeframe'},
      exchange: this.flags.exchange === undefined ? undefined : {value: this.flags.exchange, flag: '--exchange'},
    })
    const result = await scaffoldStrategy({
      className: this.args.name,
      dir: this.flags.dir ?? config.strategiesDir,
      testsDir: this.flags['tests-dir'],
      timeframe: config.timeframe ?? '5m',
      exchange: config.exchange,
      pairs: this.flags.pairs?.flatMap((pair) => pair.split(',')).filter(Boolean) ?? config.pairs ?? DEFAULT_PAIRS,
      author: this.flags.author ?? safeUserName(),
    })
    if (!this.jsonEnabled()) {
      const show = (file: string) => path.relative(process.cwd(), file) || file
      process.stdout.write(
        `Created ${show(result.strategyFile)}\nCreated ${show(result.testFile)}\n\nNext:\n` +
          `  tradai strategy lint ${result.className}\n` +
          `  tradai strategy backtest --strategy ${result.className}\n` +
          `  python -m unittest discover -s ${show(path.dirname(result.testFile))}\n`,
      )
    }

    return result
  }
}

function safeUserName(): string {
  try {
    return userInfo().username || 'tradai'
  } catch {
    return 'tradai'
  }
}
