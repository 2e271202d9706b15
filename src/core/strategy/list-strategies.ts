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
}

export interface StrategyListEntry {
  /** Metadata name for a TradAIStrategy, else the class name; the file stem when it failed to import. */
  name: string
  className: string | null
  file: string
  line: number | null
  baseClass: 'TradAIStrategy' | 'IStrategy' | null
  metadata: StrategyMetadata | null
  status: 'ok' | 'error'
  error: StrategyLoadError | null
}

export interface StrategyListRequest {
  strategiesDir: string
}

export interface StrategyListResult {
  strategiesDir: string
  strategies: StrategyListEntry[]
}

export const STRATEGY_LIST_STAGES = [{id: 'engine', title: 'Python engine'}, {id: 'strategies', title: 'Load the strategies'}]

/**
 * Every strategy class in the strategies folder, loaded the way Freqtrade loads them. A file
 * that fails to import is an entry with `status: "error"` (file and line), not a failure of the
 * listing: one broken file must not hide the others.
 */
export async function listStrategies(request: StrategyListRequest, engine: EnginePort, ctx: CoreContext): Promise<StrategyListResult> {
  const bridge = await inStage(
    ctx,
    'strategies',
    async () => engine.run('strategy-list', {strategyPath: request.strategiesDir}, ctx),
    request.strategiesDir,
  )
  return {strategiesDir: request.strategiesDir, strategies: bridge.strategies}
}
