import type {EnginePort} from '../ports/engine.js'
import type {RegistryPort} from '../ports/registry.js'
import {strategyLifecycle, type StrategyLifecycle} from '../registry/lifecycle-info.js'
import {inStage, type CoreContext} from '../events.js'
import type {StrategyMetadata} from './list-strategies.js'

/** A hyperoptable parameter (IntParameter, DecimalParameter, ...) with its range and values. */
export interface StrategyParameter {
  name: string
  space: string
  type: 'int' | 'decimal' | 'real' | 'categorical' | 'boolean' | string
  low?: number
  high?: number
  decimals?: number
  options?: unknown[]
  /** The value in the strategy's code. */
  default: unknown
  /** The value a backtest uses now: the params file beside the strategy, else the default. */
  value: unknown
  optimize: boolean
  load: boolean
}

export interface StrategyDetails {
  name: string
  className: string
  file: string
  baseClass: 'TradAIStrategy' | 'IStrategy'
  metadata: StrategyMetadata | null
  timeframe: string | null
  /** Freqtrade's minimal_roi: minutes since entry (as a string key) → profit ratio. */
  minimalRoi: Record<string, number>
  stoploss: number
  trailing: {
    trailingStop: boolean
    trailingStopPositive: number | null
    trailingStopPositiveOffset: number
    trailingOnlyOffsetIsReached: boolean
  }
  startupCandleCount: number
  canShort: boolean
  interfaceVersion: number
  parameters: StrategyParameter[]
  /** The JSON file of optimized parameters beside the strategy, when there is one. */
  paramsFile: string | null
  /** The strategy's configuration (`<stem>.config.json`, a Freqtrade config fragment) beside it, when there is one. */
  configFile: string | null
}

export interface StrategyShowRequest {
  strategiesDir: string
  name: string
}

export const STRATEGY_SHOW_STAGES = [
  {id: 'engine', title: 'Python engine'},
  {id: 'strategy', title: 'Load the strategy'},
]

/**
 * One strategy as Freqtrade would load it for a backtest. Unknown name → STRATEGY_NOT_FOUND
 * (exit 5, `details.available`); a file that fails to import → STRATEGY_LOAD (exit 2, file and line).
 */
export async function showStrategy(request: StrategyShowRequest, engine: EnginePort, ctx: CoreContext): Promise<StrategyDetails> {
  return inStage(ctx, 'strategy', async () => engine.run('strategy-show', {strategyPath: request.strategiesDir, name: request.name}, ctx), request.name)
}

/** `tradai strategy show`: the strategy, plus its registry versions and lifecycle history when the registry answers (never a failure when it does not). */
export async function showStrategyWithLifecycle(
  request: StrategyShowRequest,
  engine: EnginePort,
  registry: RegistryPort,
  ctx: CoreContext,
): Promise<StrategyDetails & {registry: StrategyLifecycle}> {
  const details = await showStrategy(request, engine, ctx)
  return {...details, registry: await strategyLifecycle(registry, details.name, ctx.signal)}
}
