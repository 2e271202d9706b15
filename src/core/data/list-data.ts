import type {EnginePort} from '../ports/engine.js'
import {inStage, type CoreContext} from '../events.js'

/** One candle file in Freqtrade's layout and what it holds. Times are ISO 8601 UTC. */
export interface DataFile {
  file: string
  exchange: string
  pair: string
  timeframe: string
  /** spot, futures, mark, ... (Freqtrade's candle type, from the file name). */
  candleType: string
  /** Freqtrade's data format: feather, json, jsongz, parquet. */
  format: string
  first: string | null
  last: string | null
  count: number
  /** Candles missing between first and last. */
  gaps: number
  /** The longest hole, in minutes (null when there is none). */
  largestGap: number | null
  /** `unreadable`: truncated or not a candle file; `bad-rows`: NaN, zero or negative prices. */
  status: 'ok' | 'bad-rows' | 'unreadable'
  /** Rows with NaN, zero or negative open/high/low/close. */
  badRows: number
  /** What is wrong and how to fix it (null when ok). */
  problem: string | null
}

export interface DataListRequest {
  userDataDir: string
  /** Only this exchange's folder; undefined lists every exchange under <userDataDir>/data. */
  exchange?: string
}

export interface DataListResult {
  dataDir: string
  files: DataFile[]
}

export const DATA_LIST_STAGES = [
  {id: 'engine', title: 'Python engine'},
  {id: 'data-list', title: 'Read the candle files'},
]

/** Every candle file under `<userDataDir>/data/<exchange>/`, read with Freqtrade's own data handlers. */
export async function listData(request: DataListRequest, engine: EnginePort, ctx: CoreContext): Promise<DataListResult> {
  return inStage(ctx, 'data-list', async () => engine.run('data-list', {userDataDir: request.userDataDir, exchange: request.exchange ?? null}, ctx))
}
