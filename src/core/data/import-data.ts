import type {EnginePort} from '../ports/engine.js'
import {UsageError} from '../errors.js'
import type {CoreContext} from '../events.js'
import {validatePair, validateTimeframe} from '../market-input.js'

export interface DataImportRequest {
  /** Absolute paths of candle files (csv, json, feather, parquet) or folders holding them. */
  paths: string[]
  userDataDir: string
  exchange: string
  /** The pair of every file; undefined = read it from each file name (ETH_BTC-5m.csv). */
  pair?: string
  /** The timeframe of every file; undefined = read it from each file name. */
  timeframe?: string
}

export interface ImportedFile {
  source: string
  /** The candle file written into the user_data layout. */
  file: string
  pair: string
  timeframe: string
  /** spot; futures, mark, funding_rate for a futures pair (Freqtrade's file suffix -futures, -mark, -funding_rate). */
  candleType?: 'spot' | 'futures' | 'mark' | 'funding_rate'
  count: number
  first: string
  last: string
}

export interface DataImportResult {
  exchange: string
  imported: ImportedFile[]
}

// The bridge emits the `validate` and `write` stages itself.
export const DATA_IMPORT_STAGES = [
  {id: 'engine', title: 'Python engine'},
  {id: 'validate', title: 'Check the candle files'},
  {id: 'write', title: 'Write them into user_data'},
]

/**
 * The checks that need no engine (files named, pair and timeframe syntax): run before the engine
 * is opened, so a typo is exit 2 at once, never an engine install or exit 3.
 */
export function validateImportRequest(request: Pick<DataImportRequest, 'paths' | 'pair' | 'timeframe'>): void {
  if (request.paths.length === 0) {
    throw new UsageError('Name at least one candle file or folder to import.', {
      suggestions: ['tradai data import ETH_BTC-5m.csv LTC_BTC-5m.parquet'],
    })
  }

  if (request.pair !== undefined) validatePair(request.pair)
  if (request.timeframe !== undefined) validateTimeframe(request.timeframe)
}

/**
 * Brings candle files into Freqtrade's layout (`<userDataDir>/data/<exchange>/`). Every file is
 * checked (columns, dates ascending, no duplicate timestamps, on the timeframe's grid) before
 * anything is written: a bad file is a USAGE error (exit 2) naming the file, row and problem.
 */
export async function importData(request: DataImportRequest, engine: EnginePort, ctx: CoreContext): Promise<DataImportResult> {
  validateImportRequest(request)
  const bridge = await engine.run(
    'data-import',
    {
      paths: request.paths,
      userDataDir: request.userDataDir,
      exchange: request.exchange,
      pair: request.pair ?? null,
      timeframe: request.timeframe ?? null,
    },
    ctx,
  )
  return {exchange: request.exchange, imported: bridge.imported}
}
