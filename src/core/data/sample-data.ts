import type {EnginePort} from '../ports/engine.js'
import {inStage, type CoreContext} from '../events.js'
import {validatePair, validateTimeframe, validateWholeNumber} from '../market-input.js'

export interface DataSampleRequest {
  userDataDir: string
  exchange: string
  pairs: string[]
  timeframe: string
  days: number
  /** Same seed, same candles: the sample is reproducible. */
  seed: number
}

export interface DataSampleResult {
  exchange: string
  pairs: string[]
  timeframe: string
  days: number
  seed: number
  /** Always true: these candles are generated, not market data. */
  synthetic: true
  /** The candle files written, one per pair. */
  files: string[]
  /** SYNTHETIC-DATA.md beside the files: says what they are to anyone who finds them. */
  marker: string
  /** Candles per pair. */
  count: number
}

export const SAMPLE_PAIRS = ['ETH/BTC', 'LTC/BTC']
export const DATA_SAMPLE_STAGES = [
  {id: 'engine', title: 'Python engine'},
  {id: 'data-sample', title: 'Generate synthetic candles'},
]

/**
 * Writes a small, deterministic, clearly synthetic candle set into the user_data layout so a
 * first backtest runs without downloading anything. Never mistaken for market data: the result
 * (and the files' metadata where the format allows) says `synthetic`.
 */
export async function sampleData(request: DataSampleRequest, engine: EnginePort, ctx: CoreContext): Promise<DataSampleResult> {
  for (const pair of request.pairs) validatePair(pair)
  validateTimeframe(request.timeframe)
  validateWholeNumber(request.days, '--days', 1)
  validateWholeNumber(request.seed, '--seed', 0)
  const bridge = await inStage(ctx, 'data-sample', async () =>
    engine.run(
      'data-sample',
      {
        userDataDir: request.userDataDir,
        exchange: request.exchange,
        pairs: request.pairs,
        timeframe: request.timeframe,
        days: request.days,
        seed: request.seed,
      },
      ctx,
    ),
  )
  return {
    exchange: request.exchange,
    pairs: request.pairs,
    timeframe: request.timeframe,
    days: request.days,
    seed: request.seed,
    synthetic: true,
    files: bridge.files,
    marker: bridge.marker,
    count: bridge.count,
  }
}
