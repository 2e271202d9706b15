import type {EnginePort} from '../ports/engine.js'
import type {CoreContext} from '../events.js'

export interface MarketsRequest {
  userDataDir: string
  exchange: string
}

export interface MarketsResult {
  exchange: string
  /** The snapshot backtests read instead of asking the exchange. */
  file: string
  /** Markets in it. */
  count: number
}

// The bridge emits `probe` and `markets` itself.
export const MARKETS_STAGES = [
  {id: 'engine', title: 'Python engine'},
  {id: 'probe', title: 'Reach the exchange'},
  {id: 'markets', title: "Save the exchange's markets"},
]

/**
 * Saves the exchange's markets under user_data so backtests use real market rules offline
 * (else the bridge synthesizes spot markets). Without network: NETWORK (exit 3), fast.
 */
export async function saveMarkets(request: MarketsRequest, engine: EnginePort, ctx: CoreContext): Promise<MarketsResult> {
  const bridge = await engine.run('data-markets', {userDataDir: request.userDataDir, exchange: request.exchange}, ctx)
  return {exchange: request.exchange, file: bridge.file, count: bridge.count}
}
