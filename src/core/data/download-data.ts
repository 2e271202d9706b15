import type {EnginePort} from '../ports/engine.js'
import {UsageError} from '../errors.js'
import type {CoreContext} from '../events.js'
import {validatePair, validateTimeframe, validateTimerange, validateWholeNumber} from '../market-input.js'

export interface DataDownloadRequest {
  userDataDir: string
  exchange: string
  pairs: string[]
  timeframes: string[]
  /** Either a timerange or a number of days back from now; never both. */
  timerange?: string
  days?: number
}

/** A candle file after the download: what it now holds (a download extends an existing file). */
export interface DownloadedFile {
  file: string
  pair: string
  timeframe: string
  first: string | null
  last: string | null
  count: number
  gaps: number
  largestGap: number | null
}

export interface DataDownloadResult {
  exchange: string
  pairs: string[]
  timeframes: string[]
  timerange: string | null
  days: number | null
  files: DownloadedFile[]
}

// The bridge emits `probe` (is the exchange reachable at all?) and `download` itself.
export const DATA_DOWNLOAD_STAGES = [
  {id: 'engine', title: 'Python engine'},
  {id: 'probe', title: 'Reach the exchange'},
  {id: 'download', title: 'Download candles'},
]

/**
 * Freqtrade's download-data into `<userDataDir>/data/<exchange>/`. Without network it fails
 * fast with NETWORK (exit 3), not after the exchange client's long timeouts.
 */
export async function downloadData(request: DataDownloadRequest, engine: EnginePort, ctx: CoreContext): Promise<DataDownloadResult> {
  validateDownloadRequest(request)
  const bridge = await engine.run(
    'data-download',
    {
      userDataDir: request.userDataDir,
      exchange: request.exchange,
      pairs: request.pairs,
      timeframes: request.timeframes,
      timerange: request.timerange ?? null,
      days: request.days ?? null,
    },
    ctx,
  )
  return {
    exchange: request.exchange,
    pairs: request.pairs,
    timeframes: request.timeframes,
    timerange: request.timerange ?? null,
    days: request.days ?? null,
    files: bridge.files,
  }
}

function validateDownloadRequest(request: DataDownloadRequest): void {
  if (request.pairs.length === 0) {
    throw new UsageError('Name the pairs to download.', {
      suggestions: ['tradai data download --pairs ETH/BTC LTC/BTC --timeframes 5m --days 30', 'or set `pairs` in tradai.config'],
    })
  }

  for (const pair of request.pairs) validatePair(pair)
  if (request.timeframes.length === 0) throw new UsageError('Name at least one timeframe to download (--timeframes 5m).')
  for (const timeframe of request.timeframes) validateTimeframe(timeframe)
  if (request.timerange !== undefined && request.days !== undefined) {
    throw new UsageError('Give either --timerange or --days, not both.')
  }

  if (request.timerange !== undefined) validateTimerange(request.timerange)
  if (request.days !== undefined) validateWholeNumber(request.days, '--days', 1)
}
