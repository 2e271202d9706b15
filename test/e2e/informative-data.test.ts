import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {json, runCli} from '../helpers/cli.js'
import {schemaErrors} from '../helpers/json-schema.js'
import {fixtureUserData, REPO} from '../helpers/paths.js'

interface ErrorJson {
  error: {code: string; message: string; exitCode: number; suggestions: string[]; details?: {missing?: Array<{pair: string; timeframe: string}>}}
}

// The fixture candles are 5m BTC pairs only: any other pair or timeframe is missing.
const COMMUNITY = path.join(REPO, 'test/fixtures/strategies/community')
const args = (strategy: string, ...extra: string[]) => [
  'strategy',
  'backtest',
  '--strategy',
  strategy,
  '--strategy-path',
  COMMUNITY,
  '--user-data-dir',
  fixtureUserData(),
  '--pairs',
  'ETH/BTC',
  '--timerange',
  '20180120-20180122',
  '--no-track',
  '--json',
  ...extra,
]

describe('data the strategy needs, checked before it runs', () => {
  it('a missing @informative timeframe fails with exit 5, naming pair, timeframe and the download command', async () => {
    const run = await runCli(args('InformativeDecoratorStrategy'))
    expect(run.code, run.stderr).toBe(5)
    const {error} = json<ErrorJson>(run)
    expect(schemaErrors('error', {error})).toEqual([])
    expect(error.code).toBe('DATA_NOT_FOUND')
    expect(error.message).toContain('no 1h candles for ETH/BTC')
    expect(error.details?.missing).toEqual([expect.objectContaining({pair: 'ETH/BTC', timeframe: '1h'})])
    expect(error.suggestions.join(' ')).toContain('tradai data download --pairs ETH/BTC --timeframes 1h')
  }, 900_000)

  it('informative_pairs() data missing: exit 5 naming BTC/USDT 15m', async () => {
    const refused = await runCli(args('InformativePairsStrategy'))
    expect(refused.code, refused.stderr).toBe(5)
    expect(json<ErrorJson>(refused).error.message).toContain('no 15m candles for BTC/USDT')
  }, 900_000)

  it("with --allow-missing-informative it warns and runs, Freqtrade's own warnings included", async () => {
    const run = await runCli(args('InformativePairsStrategy', '--allow-missing-informative'))
    expect(run.code, run.stderr).toBe(0)
    const result = json<{warnings: string[]; metrics: {totalTrades: number}}>(run)
    expect(schemaErrors('strategy-backtest', result)).toEqual([])
    expect(result.warnings[0]).toContain('informative data missing: no 15m candles for BTC/USDT')
    // Freqtrade's WARNING log record, passed through as a warning.
    expect(result.warnings.some((w) => w.startsWith('No history for BTC/USDT'))).toBe(true)
    expect(run.stderr).toContain('Warning: informative data missing')
  }, 900_000)
})
