import {copyFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

import type {RequestOf, ResultOf} from '../../src/core/ports/engine.js'

/**
 * Freqtrade's stats JSON of a real run, kept as a fixture: `tradai strategy backtest --strategy
 * SampleRsiStrategy --pairs ETH/BTC --timerange 20180110-20180114 --no-track` on the fixture candles
 * (5 trades). A fake backtest answers with it, so core reads a result Freqtrade really wrote.
 */
export const SAMPLE_STATS = fileURLToPath(new URL('../fixtures/freqtrade/sample-rsi-eth-btc-stats.json', import.meta.url))
export const SAMPLE_CLASS = 'SampleRsiStrategy'
export const SAMPLE_TRADES = 5

/**
 * The FakeEngine answer for `backtest`: writes the fixture stats and a result zip into the run
 * folder core chose, as the engine does, and answers with a contract-valid result naming them.
 */
export function fakeBacktest(request: RequestOf<'backtest'>): ResultOf<'backtest'> {
  const statsFile = path.join(request.runDir, 'backtest-result-fake.json')
  const resultFile = path.join(request.runDir, 'backtest-result-fake.zip')
  const configFile = path.join(request.runDir, 'config.json')
  const configSourcesFile = path.join(request.runDir, 'config-sources.json')
  copyFileSync(SAMPLE_STATS, statsFile)
  writeFileSync(resultFile, 'zip bytes')
  writeFileSync(configFile, '{}\n')
  writeFileSync(configSourcesFile, '{}\n')
  return {
    runDir: request.runDir,
    configFile,
    configSourcesFile,
    resultFile,
    statsFile,
    strategyFiles: [],
    marketsSource: 'snapshot',
    marketsFile: null,
    strategy: {
      name: request.strategy,
      className: request.strategy,
      file: path.join(request.strategyPath, 'sample_rsi_strategy.py'),
      baseClass: 'TradAIStrategy',
      metadata: null,
      params: {},
    },
    exchange: 'binance',
    timeframe: '5m',
    timerange: request.timerange ?? null,
    pairs: request.pairs ?? ['ETH/BTC'],
    stakeCurrency: 'BTC',
    engine: {freqtrade: '2026.9'},
    warnings: [],
  }
}
