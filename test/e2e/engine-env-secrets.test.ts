import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {json, runCli} from '../helpers/cli.js'
import {fixtureUserData, tempDir} from '../helpers/paths.js'

// Secrets a user or a task definition may have in tradai's environment. A strategy is code
// that runs inside the engine: none of these may be visible to it.
const PLANTED = {
  TRADAI_EXCHANGE_BINANCE_KEY: 'plantedTradaiKey0123456789',
  TRADAI_EXCHANGE_BINANCE_SECRET: 'plantedTradaiSecret0123456789',
  TRADAI_EXCHANGE_OKX_PASSWORD: 'plantedTradaiPassword0123456789',
  FREQTRADE__EXCHANGE__KEY: 'plantedFreqtradeKey0123456789',
  FREQTRADE__EXCHANGE__SECRET: 'plantedFreqtradeSecret0123456789',
  FREQTRADE__EXCHANGE__PASSWORD: 'plantedFreqtradePassword0123456789',
  TRADAI_CREDENTIALS_PASSPHRASE: 'plantedPassphrase0123456789',
  MLFLOW_TRACKING_PASSWORD: 'plantedMlflowPassword0123456789',
  MLFLOW_TRACKING_TOKEN: 'plantedMlflowToken0123456789',
}

/** A strategy that writes the environment it runs in to `dump` (from the engine process, mid-backtest). */
function envProbeStrategy(dump: string): string {
  return `import json
import os

from freqtrade.strategy import IStrategy


class EnvProbeStrategy(IStrategy):
    INTERFACE_VERSION = 3
    timeframe = "5m"
    minimal_roi = {"0": 0.01}
    stoploss = -0.10

    def populate_indicators(self, dataframe, metadata):
        with open(${JSON.stringify(dump)}, "w") as out:
            json.dump(dict(os.environ), out)
        return dataframe

    def populate_entry_trend(self, dataframe, metadata):
        dataframe["enter_long"] = (dataframe["close"] < dataframe["close"].shift(1)).astype(int)
        return dataframe

    def populate_exit_trend(self, dataframe, metadata):
        dataframe["exit_long"] = 0
        return dataframe
`
}

describe('the engine environment a strategy sees', () => {
  it('holds no exchange key, secret or password, no credentials passphrase, no MLflow password or token', async () => {
    const strategies = tempDir('tradai-envprobe-')
    const dump = path.join(tempDir('tradai-envdump-'), 'env.json')
    mkdirSync(strategies, {recursive: true})
    writeFileSync(path.join(strategies, 'env_probe_strategy.py'), envProbeStrategy(dump))
    const run = await runCli(
      [
        'strategy',
        'backtest',
        '--strategy',
        'EnvProbeStrategy',
        '--strategy-path',
        strategies,
        '--user-data-dir',
        fixtureUserData(),
        '--pairs',
        'ETH/BTC',
        '--timerange',
        '20180115-20180117',
        '--json',
      ],
      {env: {...PLANTED, TRADAI_TRACKING: 'false'}},
    )
    expect(run.code, run.stderr).toBe(0)
    expect(json<{metrics: {totalTrades: number}}>(run).metrics.totalTrades).toBeGreaterThan(0)
    const seen = JSON.parse(readFileSync(dump, 'utf8')) as Record<string, string>
    // The dump is the real environment of the engine process...
    expect(seen.PYTHONPATH).toContain('python')
    // ...and carries none of the planted names or values.
    expect(Object.keys(seen).filter((name) => name in PLANTED)).toEqual([])
    const text = JSON.stringify(seen)
    expect(Object.values(PLANTED).filter((value) => text.includes(value))).toEqual([])
  })
})
