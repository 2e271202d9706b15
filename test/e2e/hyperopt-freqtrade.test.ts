import {cpSync, existsSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {json, runCli} from '../helpers/cli.js'
import {fixtureUserData, STRATEGIES, tempDir} from '../helpers/paths.js'

interface RunJson {
  study: string
  engine: string
  epochs: number
  completedTrials: number
  bestLoss: number
  bestParams: Record<string, Record<string, number>>
  bestMetrics: {totalTrades: number; sharpe: number}
  paramsFile: string | null
  storage: string
}

describe("hyperopt run --engine freqtrade (Freqtrade's own hyperopt, offline markets)", () => {
  it('runs the epochs, reads the best from its .fthypt results file and exports the params as Freqtrade does', async () => {
    const strategies = tempDir('tradai-strat-')
    cpSync(STRATEGIES, strategies, {recursive: true})
    const run = await runCli([
      'hyperopt',
      'run',
      '--engine',
      'freqtrade',
      '--strategy',
      'SampleRsiStrategy',
      '--pairs',
      'ETH/BTC',
      'LTC/BTC',
      'XLM/BTC',
      '--timerange',
      '20180112-20180128',
      '--spaces',
      'buy',
      'sell',
      '--epochs',
      '5',
      '--seed',
      '2',
      '--json',
      '--no-track',
      '--strategy-path',
      strategies,
      '--user-data-dir',
      fixtureUserData(),
    ])
    expect(run.code, run.stderr).toBe(0)
    const result = json<RunJson>(run)
    expect(result).toMatchObject({engine: 'freqtrade', epochs: 5, completedTrials: 5})
    expect(result.storage).toMatch(/hyperopt_results\/strategy_SampleRsiStrategy_.*\.fthypt$/)
    // The results file is Freqtrade's: one JSON epoch per line; the best is its lowest loss.
    const epochs = readFileSync(result.storage, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as {loss: number; params_details: unknown})
    expect(epochs).toHaveLength(5)
    expect(result.bestLoss).toBe(Math.min(...epochs.map((epoch) => epoch.loss)))
    // Freqtrade exports only when an epoch beats its initial best loss (100); this seed does.
    expect(result.bestLoss).toBeLessThan(100)
    expect(result.paramsFile).toBe(path.join(strategies, 'sample_rsi_strategy.json'))
    expect(existsSync(result.paramsFile!)).toBe(true)
    const params = JSON.parse(readFileSync(result.paramsFile!, 'utf8')) as {strategy_name: string; params: {buy: unknown}}
    expect(params.strategy_name).toBe('SampleRsiStrategy')
    expect(params.params.buy).toEqual(result.bestParams.buy)
  })
})
