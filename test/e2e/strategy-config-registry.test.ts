import {copyFileSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {MlflowClient} from '../../src/engines/mlflow/client.js'
import {json, runCli} from '../helpers/cli.js'
import {schemaErrors} from '../helpers/json-schema.js'
import {startMlflowServer, type TestMlflowServer} from '../helpers/mlflow-server.js'
import {fixtureUserData, STRATEGIES, tempDir} from '../helpers/paths.js'

/**
 * A strategy is its code and its configuration: registration snapshots the configuration, the code
 * hash covers it, a changed configuration alone is a new version, and a challenge runs the
 * registered configuration, never the working copy's. Real MLflow server, real Freqtrade.
 */
const MODEL = 'SampleRsiStrategy'
const DATA = ['--pairs', 'ETH/BTC', 'LTC/BTC', '--timerange', '20180112-20180120']
const REGISTERED = {minimal_roi: {'0': 0.02, '60': 0.01}, stoploss: -0.03, trailing_stop: true, trailing_stop_positive: 0.005, trailing_stop_positive_offset: 0.01}

interface Metrics {
  totalTrades: number
  profitTotal: number
}

describe('strategy configurations in the registry (real MLflow)', {timeout: 1_200_000}, () => {
  let server: TestMlflowServer
  let client: MlflowClient
  let strategies: string
  let configFile: string
  let env: NodeJS.ProcessEnv
  let registeredMetrics: Metrics
  const cli = (args: string[]) => runCli(args, {env: {...process.env, ...env}})
  const backtest = async () => {
    const run = await cli(['strategy', 'backtest', '--strategy', MODEL, '--no-track', ...DATA, '--json'])
    expect(run.code, run.stderr).toBe(0)
    return json<{metrics: Metrics}>(run).metrics
  }

  beforeAll(async () => {
    server = await startMlflowServer({timeoutMs: 540_000}) // a loaded machine starts MLflow slowly
    client = new MlflowClient({uri: server.url})
    strategies = tempDir('tradai-stratcfg-reg-')
    copyFileSync(path.join(STRATEGIES, 'sample_rsi_strategy.py'), path.join(strategies, 'sample_rsi_strategy.py'))
    configFile = path.join(strategies, 'sample_rsi_strategy.config.json')
    writeFileSync(configFile, `${JSON.stringify(REGISTERED, null, 2)}\n`)
    env = {TRADAI_MLFLOW_TRACKING_URI: server.url, TRADAI_STRATEGIES_DIR: strategies, TRADAI_USER_DATA_DIR: fixtureUserData(), TRADAI_USER: 'e2e-tester'}
  }, 900_000)

  afterAll(async () => {
    await server?.stop()
  })

  it('register snapshots the configuration with the code; strategy show and model show name it', async () => {
    const run = await cli(['strategy', 'register', MODEL, '--json'])
    expect(run.code, run.stderr).toBe(0)
    const registered = json<{version: number; created: boolean; configFile: string | null; codeHash: string}>(run)
    expect(schemaErrors('strategy-register', registered)).toEqual([])
    expect(registered).toMatchObject({version: 1, created: true, configFile})
    const version = await client.getModelVersion(MODEL, '1')
    expect(version.tags?.find((tag) => tag.key === 'tradai.config_file')?.value).toBe('sample_rsi_strategy.config.json')

    const show = await cli(['strategy', 'show', MODEL, '--json'])
    expect(json<{configFile: string}>(show).configFile).toBe(configFile)
    const model = await cli(['model', 'show', MODEL, '--version', '1'])
    expect(model.stdout).toContain('tradai.config_file=sample_rsi_strategy.config.json')
    registeredMetrics = await backtest()
  })

  it('changing only the configuration: diff shows it, and registering gives a new version', async () => {
    for (const [key, value] of [
      ['stoploss', '-0.2'],
      ['minimal_roi', '{"0": 0.5}'],
    ] as const) {
      const set = await cli(['config', 'strategy', 'set', MODEL, key, value, '--json'])
      expect(set.code, set.stderr).toBe(0)
    }
    expect(await backtest()).not.toEqual(registeredMetrics)

    const diff = await cli(['config', 'strategy', 'diff', MODEL, '--version', '1', '--json'])
    expect(diff.code, diff.stderr).toBe(0)
    const changes = json<{identical: boolean; changes: Array<{key: string; change: string; registered: unknown; working: unknown}>}>(diff)
    expect(schemaErrors('config-strategy-diff', changes)).toEqual([])
    expect(changes.identical).toBe(false)
    expect(changes.changes).toContainEqual({key: 'stoploss', change: 'changed', registered: -0.03, working: -0.2})
    expect(changes.changes).toContainEqual({key: 'minimal_roi.60', change: 'removed', registered: 0.01, working: null})

    const run = await cli(['strategy', 'register', MODEL, '--json'])
    expect(run.code, run.stderr).toBe(0)
    expect(json<{version: number; created: boolean}>(run)).toMatchObject({version: 2, created: true})
  })

  it("a challenge of v1 runs v1's registered configuration, not the working copy's", async () => {
    const run = await cli(['strategy', 'challenge', MODEL, '--version', '1', '--criterion', 'totalTrades >= 0', ...DATA, '--json'])
    expect(run.code, run.stderr).toBe(0)
    const report = json<{backtest: {metrics: Metrics}}>(run)
    expect(report.backtest.metrics.totalTrades).toBe(registeredMetrics.totalTrades)
    expect(report.backtest.metrics.profitTotal).toBe(registeredMetrics.profitTotal)
  })

  it('a configuration holding credentials is never registered (exit 2) and never reaches MLflow', async () => {
    writeFileSync(configFile, JSON.stringify({...REGISTERED, exchange: {name: 'binance', key: 'AKIA-REGISTER-KEY', secret: 'REGISTER-SECRET-789'}}))
    const run = await cli(['strategy', 'register', MODEL, '--json'])
    expect(run.code).toBe(2)
    expect(json<{error: {message: string}}>(run).error.message).toContain('credentials')
    expect(run.stdout + run.stderr).not.toContain('REGISTER-SECRET-789')
    const versions = await client.searchModelVersions(`name='${MODEL}'`)
    expect(versions).toHaveLength(2)
    expect(readFileSync(configFile, 'utf8')).toContain('REGISTER-SECRET-789') // the user's file is left alone
  })
})
