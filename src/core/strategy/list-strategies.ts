import type {EnginePort} from '../ports/engine.js'
import {inStage, type CoreContext} from '../events.js'

/** TradAIStrategy metadata, camelCase as the bridge returns it. */
export interface StrategyMetadata {
  name: string
  version: string
  description?: string
  author?: string
  tags?: string[]
  timeframe?: string
  exchange?: string
  tradingMode?: string
  defaultPairs?: string[]
  [key: string]: unknown
}

/** Where and why a strategy file failed to import. */
export interface StrategyLoadError {
  message: string
  file: string
  line: number | null
  /** How to fix it, when the engine knows (e.g. a class Freqtrade's loader cannot find). */
  fix?: string
}

/** A hyperoptable parameter as written in the source. */
export interface StrategyListParameter {
  name: string
  space: string | null
  type: 'int' | 'decimal' | 'real' | 'categorical' | 'boolean'
  low?: number | null
  high?: number | null
  default: unknown
}

export interface StrategyListEntry {
  /** Metadata name for a TradAIStrategy, else the class name; the file stem when it failed to import. */
  name: string
  className: string | null
  file: string
  line: number | null
  baseClass: 'TradAIStrategy' | 'IStrategy' | null
  metadata: StrategyMetadata | null
  /** The class's timeframe or the metadata's (also for a plain IStrategy); null when unset. */
  timeframe: string | null
  /** startup_candle_count read from the source (or the import); null when only an import would know. */
  startupCandleCount?: number | null
  parameters: StrategyListParameter[]
  status: 'ok' | 'error'
  error: StrategyLoadError | null
  /** static: read from the source (no Freqtrade import); import: the file was imported. */
  source: 'static' | 'import'
}

export interface StrategyListRequest {
  strategiesDir: string
  /** Import every file the way Freqtrade does, instead of reading the source (slow: seconds). */
  load?: boolean
}

export interface StrategyListResult {
  strategiesDir: string
  strategies: StrategyListEntry[]
}

export const STRATEGY_LIST_STAGES = [
  {id: 'engine', title: 'Python engine'},
  {id: 'strategies', title: 'Read the strategies'},
]

/**
 * Every strategy class in the strategies folder, read from the source without importing Freqtrade
 * (`load` imports every file as Freqtrade does). A file or class that cannot load is an entry with
 * `status: "error"` (file and line), not a failure of the listing: one broken file must not hide
 * the others.
 */
export async function listStrategies(request: StrategyListRequest, engine: EnginePort, ctx: CoreContext): Promise<StrategyListResult> {
  const bridge = await inStage(
    ctx,
    'strategies',
    async () => engine.run('strategy-list', {strategyPath: request.strategiesDir, load: Boolean(request.load)}, ctx),
    request.strategiesDir,
  )
  return {strategiesDir: request.strategiesDir, strategies: bridge.strategies}
}
