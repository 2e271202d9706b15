import path from 'node:path'

import type {ResolvedConfig} from '../config/load.js'
import type {ArcticStore} from '../data/arctic-store.js'
import {UsageError} from '../errors.js'
import {validatePair, validateTimeframe, validateTimerange} from '../market-input.js'

export type ParamValue = string | number | boolean

/** What a backtest needs; unset values come from the strategy's metadata, then defaults. */
export interface BacktestRequest {
  strategy: string
  strategiesDir: string
  userDataDir: string
  outputDir: string
  exchange?: string
  pairs?: string[]
  timeframe?: string
  timerange?: string
  stakeCurrency?: string
  stakeAmount?: 'unlimited' | number
  startingBalance?: number
  maxOpenTrades?: number
  fee?: number
  /** The user's own Freqtrade config files (absolute), merged in order over the strategy's configuration. */
  freqtradeConfig?: string[]
  /** Where each data field came from: flag/env values override the user's Freqtrade config, file values do not. */
  settingSources?: Record<string, SettingSource>
  params: Record<string, ParamValue>
  /** Run even when informative pairs/timeframes the strategy asks for have no candles (warn instead of exit 5). */
  allowMissingInformative?: boolean
  /** With `data.source: arcticdb`: read the candles from this store into the run folder first. */
  candleStore?: ArcticStore
  /** Candle rows with NaN, zero or negative prices refuse the run (exit 2) instead of warning (config data.strict). */
  strictData?: boolean
}

/** A data field's origin as the engine weighs it (docs/bridge-protocol.md, "backtest"). */
export interface SettingSource {
  kind: 'flag' | 'env' | 'file'
  label: string
}

/** Catches malformed input before any Python starts (fast, and names the exact value). */
export function validateBacktestRequest(request: BacktestRequest): void {
  for (const pair of request.pairs ?? []) validatePair(pair)
  if (request.timeframe !== undefined) validateTimeframe(request.timeframe)
  if (request.timerange !== undefined) validateTimerange(request.timerange)
}

/** `--param name=value` → {name: value}; numbers and booleans are typed, the engine checks ranges. */
export function parseParams(entries: string[]): Record<string, ParamValue> {
  const params: Record<string, ParamValue> = {}
  for (const entry of entries) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.+)$/.exec(entry)
    if (!match) {
      throw new UsageError(`Malformed --param "${entry}": expected name=value, like buy_rsi=30.`, {
        suggestions: ["Run `tradai strategy show NAME` to see the strategy's parameters."],
      })
    }

    const [, name, raw] = match as unknown as [string, string, string]
    params[name] = /^(true|false)$/i.test(raw) ? raw.toLowerCase() === 'true' : Number.isFinite(Number(raw)) ? Number(raw) : raw
  }

  return params
}

/** The candles and account a run uses, as config resolved them: backtest and challenge share it. */
export type BacktestDataSettings = Omit<BacktestRequest, 'strategy' | 'strategiesDir' | 'params'>

export function dataSettingsFromConfig({config, sources}: ResolvedConfig, freqtradeConfig: string[] = []): BacktestDataSettings {
  return {
    freqtradeConfig,
    settingSources: settingSources(sources),
    userDataDir: config.userDataDir,
    outputDir: config.outputDir ?? path.join(config.userDataDir, 'backtest_results', 'tradai'),
    // The default exchange must not override the strategy's own metadata; a chosen one does.
    exchange: sources.exchange?.kind === 'default' ? undefined : config.exchange,
    pairs: config.pairs,
    timeframe: config.timeframe,
    timerange: config.timerange,
    stakeCurrency: config.stakeCurrency,
    stakeAmount: config.stakeAmount,
    startingBalance: config.startingBalance,
    maxOpenTrades: config.maxOpenTrades,
    fee: config.fee,
    strictData: config.data.strict,
  }
}

const DATA_FIELDS = ['exchange', 'pairs', 'timeframe', 'timerange', 'stakeCurrency', 'stakeAmount', 'startingBalance', 'maxOpenTrades', 'fee'] as const

/** Each set data field's source, for the engine's precedence: flags > environment > --freqtrade-config > strategy configuration > project config. */
export function settingSources(sources: ResolvedConfig['sources']): Record<string, SettingSource> {
  const out: Record<string, SettingSource> = {}
  for (const field of DATA_FIELDS) {
    const source = sources[field]
    if (source?.kind === 'flag') out[field] = {kind: 'flag', label: `flag ${source.name}`}
    else if (source?.kind === 'env') out[field] = {kind: 'env', label: `environment variable ${source.name}`}
    else if (source?.kind === 'file') out[field] = {kind: 'file', label: `project config ${source.path}`}
  }

  return out
}

/** The data settings as the engine's requests carry them: unset is null ("take the strategy's"). */
export function bridgeDataFields(settings: Partial<BacktestDataSettings>): Record<string, unknown> {
  return {
    exchange: settings.exchange ?? null,
    pairs: settings.pairs ?? null,
    timeframe: settings.timeframe ?? null,
    timerange: settings.timerange ?? null,
    stakeCurrency: settings.stakeCurrency ?? null,
    stakeAmount: settings.stakeAmount ?? null,
    startingBalance: settings.startingBalance ?? null,
    maxOpenTrades: settings.maxOpenTrades ?? null,
    fee: settings.fee ?? null,
    freqtradeConfig: settings.freqtradeConfig ?? [],
    settingSources: settings.settingSources ?? {},
  }
}
