import {Flags} from '@oclif/core'
import path from 'node:path'

import type {FlagValue} from '../core/config/load.js'

/**
 * `--freqtrade-config FILE` (repeatable): the user's own Freqtrade configs, merged in order like
 * `freqtrade -c a.json -c b.json`. Part of dataFlags; every command that runs Freqtrade takes it.
 */
export const freqtradeConfigFlags = {
  'freqtrade-config': Flags.file({
    description:
      "Your own Freqtrade config file (repeatable, merged in order like freqtrade -c a.json -c b.json); tradai's flags override it, its defaults fill what it leaves unset.",
    // No oclif `exists` check: the engine reports a missing file as a config error (exit 2) naming it.
    multiple: true,
  }),
}

/** The --freqtrade-config files as absolute paths (the engine runs in another working directory). */
export function freqtradeConfigFiles(flags: {'freqtrade-config'?: string[]}, cwd = process.cwd()): string[] {
  return (flags['freqtrade-config'] ?? []).map((file) => path.resolve(cwd, file))
}

/** The flags that say which candles and account a run uses: backtest, hyperopt and challenge share them. */
export const dataFlags = {
  ...freqtradeConfigFlags,
  'strategy-path': Flags.directory({description: 'Folder with strategy files (config strategiesDir).'}),
  'user-data-dir': Flags.directory({description: "Freqtrade's user_data folder (config userDataDir)."}),
  exchange: Flags.string({description: 'Exchange id, e.g. binance (default: the strategy metadata, else config).'}),
  pairs: Flags.string({description: 'Pairs to trade, e.g. ETH/BTC LTC/BTC (default: the strategy metadata).', multiple: true}),
  timeframe: Flags.string({description: 'Candle timeframe, e.g. 5m (default: the strategy).'}),
  timerange: Flags.string({description: 'YYYYMMDD-YYYYMMDD; either side may be open (default: all candles).'}),
  'stake-amount': Flags.string({description: 'Stake per trade, or "unlimited" (default unlimited).'}),
  'starting-balance': Flags.string({description: 'Starting wallet in the stake currency.'}),
  'max-open-trades': Flags.integer({description: 'Maximum trades open at once (-1 = no limit).'}),
  fee: Flags.string({description: 'Fee ratio per side, e.g. 0.001 (default: the exchange market fee).'}),
}

type DataFlagValues = {
  'strategy-path'?: string
  'user-data-dir'?: string
  exchange?: string
  pairs?: string[]
  timeframe?: string
  timerange?: string
  'stake-amount'?: string
  'starting-balance'?: string
  'max-open-trades'?: number
  fee?: string
}

/** Data flags as config-layer values, so the config's validation names the flag on bad input. */
export function dataFlagConfig(flags: DataFlagValues): Record<string, FlagValue | undefined> {
  const given = (value: unknown, flag: string): FlagValue | undefined => (value === undefined ? undefined : {value, flag})
  const numeric = (value: string | undefined) => (value === undefined ? undefined : Number.isFinite(Number(value)) ? Number(value) : value)
  return {
    strategiesDir: given(flags['strategy-path'], '--strategy-path'),
    userDataDir: given(flags['user-data-dir'], '--user-data-dir'),
    exchange: given(flags.exchange, '--exchange'),
    // `--pairs A B` and `--pairs A,B` both work.
    pairs: given(flags.pairs?.flatMap((pair) => pair.split(',')).filter(Boolean), '--pairs'),
    timeframe: given(flags.timeframe, '--timeframe'),
    timerange: given(flags.timerange, '--timerange'),
    stakeAmount: given(flags['stake-amount'] === 'unlimited' ? 'unlimited' : numeric(flags['stake-amount']), '--stake-amount'),
    startingBalance: given(numeric(flags['starting-balance']), '--starting-balance'),
    maxOpenTrades: given(flags['max-open-trades'], '--max-open-trades'),
    fee: given(numeric(flags.fee), '--fee'),
  }
}

/** `--timeout DURATION` of the commands that run the engine (config engine.timeoutSeconds); see core/engine-timeout.ts. */
export const timeoutFlag = Flags.string({
  description: 'Stop the engine after this long and exit 3, e.g. 90s, 30m, 2h (config engine.timeoutSeconds).',
})

/** Where candles come from, on every command that reads them (config data.source / data.arcticUri). */
export const candleSourceFlags = {
  'data-source': Flags.string({description: 'Read candles from Freqtrade files or an ArcticDB store (config data.source, TRADAI_DATA_SOURCE).', options: ['files', 'arcticdb']}),
  'arctic-uri': Flags.string({description: 'The ArcticDB store, e.g. lmdb:///abs/path or s3://… (config data.arcticUri, TRADAI_ARCTIC_URI).'}),
}

export function candleSourceConfig(flags: {'data-source'?: string; 'arctic-uri'?: string}): Record<string, FlagValue | undefined> {
  return {
    'data.source': flags['data-source'] === undefined ? undefined : {value: flags['data-source'], flag: '--data-source'},
    'data.arcticUri': flags['arctic-uri'] === undefined ? undefined : {value: flags['arctic-uri'], flag: '--arctic-uri'},
  }
}

/** `--strict-data`: bad-price candle rows refuse the run (exit 2) instead of a warning (config data.strict). */
export const strictDataFlags = {
  'strict-data': Flags.boolean({
    description: 'Refuse to run (exit 2) when the candles have rows with NaN, zero or negative prices, instead of a warning (config data.strict, TRADAI_STRICT_DATA).',
    allowNo: true,
  }),
}

export function strictDataConfig(flags: {'strict-data'?: boolean}): Record<string, FlagValue | undefined> {
  return {'data.strict': flags['strict-data'] === undefined ? undefined : {value: flags['strict-data'], flag: flags['strict-data'] ? '--strict-data' : '--no-strict-data'}}
}
