import {execFileSync} from 'node:child_process'
import {copyFileSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'

import {json, runCli} from '../helpers/cli.js'
import {freqtradeStats} from '../helpers/engine-python.js'
import {schemaErrors} from '../helpers/json-schema.js'
import {ENGINE_PYTHON, fixtureUserData, REPO, STRATEGIES, tempDir} from '../helpers/paths.js'

interface BacktestJson {
  strategyClass: string
  metrics: {totalTrades: number; profitTotal: number; profitTotalAbs: number}
  configFile: string
  configSourcesFile: string
  strategyFiles: string[]
  runDir: string
}

interface ErrorJson {
  error: {code: string; message: string; exitCode: number; suggestions: string[]; details?: Record<string, unknown>}
}

const DATA = ['--pairs', 'ETH/BTC', 'LTC/BTC', '--timerange', '20180112-20180120']
/** A user's Freqtrade config: ROI, stoploss and trailing overrides, unfilled timeouts and order types. */
const USER_CONFIG = {
  minimal_roi: {'0': 0.02, '60': 0.01},
  stoploss: -0.03,
  trailing_stop: true,
  trailing_stop_positive: 0.005,
  trailing_stop_positive_offset: 0.01,
  trailing_only_offset_is_reached: true,
  unfilledtimeout: {entry: 10, exit: 10, unit: 'minutes'},
  order_types: {entry: 'limit', exit: 'limit', stoploss: 'market', stoploss_on_exchange: false},
}

describe('strategy configurations: --freqtrade-config, <stem>.config.json, config strategy (real Freqtrade)', {timeout: 1_200_000}, () => {
  const userData = fixtureUserData()
  let strategies: string
  let userConfig: string
  let plain: BacktestJson
  let withFlag: BacktestJson
  const backtest = async (...args: string[]) => {
    const run = await runCli([
      'strategy',
      'backtest',
      '--strategy',
      'SampleRsiStrategy',
      '--user-data-dir',
      userData,
      '--strategy-path',
      strategies,
      '--no-track',
      ...DATA,
      '--json',
      ...args,
    ])
    expect(run.code, run.stderr).toBe(0)
    return json<BacktestJson>(run)
  }

  beforeAll(async () => {
    strategies = tempDir('tradai-stratcfg-')
    copyFileSync(path.join(STRATEGIES, 'sample_rsi_strategy.py'), path.join(strategies, 'sample_rsi_strategy.py'))
    userConfig = path.join(tempDir('tradai-ftcfg-'), 'my-freqtrade.json')
    // Freqtrade's own format: comments are allowed.
    writeFileSync(userConfig, `// my Freqtrade settings\n${JSON.stringify(USER_CONFIG, null, 2)}\n`)
    plain = await backtest()
    withFlag = await backtest('--freqtrade-config', userConfig)
  }, 1_200_000)

  it("parity: --freqtrade-config gives exactly Freqtrade's own `backtesting -c tradai.json -c mine.json`, and the config mattered", () => {
    const exportDir = tempDir('tradai-raw-')
    // tradai's config of the same run without the flag, then the user's file on top: Freqtrade's own merge.
    execFileSync(
      ENGINE_PYTHON,
      [
        '-m',
        'tradai_engine.freqtrade_offline',
        'backtesting',
        '-c',
        plain.configFile,
        '-c',
        userConfig,
        '--strategy',
        plain.strategyClass,
        '--strategy-path',
        strategies,
        '--export-directory',
        exportDir,
        '--cache',
        'none',
      ],
      {cwd: REPO, env: {...process.env, PYTHONPATH: path.join(REPO, 'python')}, stdio: ['ignore', 'ignore', 'pipe']},
    )
    const raw = freqtradeStats(exportDir, plain.strategyClass)
    expect(withFlag.metrics.totalTrades).toBe(raw.total_trades)
    expect(withFlag.metrics.profitTotal).toBe(raw.profit_total)
    expect(withFlag.metrics.profitTotalAbs).toBe(raw.profit_total_abs)
    expect([withFlag.metrics.totalTrades, withFlag.metrics.profitTotal]).not.toEqual([plain.metrics.totalTrades, plain.metrics.profitTotal])
  })

  it('the run folder records the user keys in config.json and where every key came from in config-sources.json', () => {
    const config = JSON.parse(readFileSync(withFlag.configFile, 'utf8')) as Record<string, unknown>
    for (const [key, value] of Object.entries(USER_CONFIG)) expect(config[key], key).toEqual(value)
    const recorded = JSON.parse(readFileSync(withFlag.configSourcesFile, 'utf8')) as {sources: Record<string, string>; files: Array<{file: string}>}
    expect(schemaErrors('config-sources', recorded)).toEqual([])
    expect(recorded.files.map((file) => file.file)).toEqual([userConfig])
    expect(recorded.sources.stoploss).toBe(`--freqtrade-config ${userConfig}`)
    expect(recorded.sources['unfilledtimeout.entry']).toBe(`--freqtrade-config ${userConfig}`)
    expect(recorded.sources['exchange.pair_whitelist']).toBe('flag --pairs')
    expect(recorded.sources.timerange).toBe('flag --timerange')
    expect(recorded.sources.timeframe).toBe('strategy metadata')
    // Without the flag tradai's config is what it always was: none of the user's keys.
    const before = JSON.parse(readFileSync(plain.configFile, 'utf8')) as Record<string, unknown>
    expect(before.unfilledtimeout).toBeUndefined()
    expect(before.minimal_roi).toBeUndefined()
  })

  it('flags override the user config; later --freqtrade-config files override earlier ones', async () => {
    const second = path.join(path.dirname(userConfig), 'override.json')
    writeFileSync(second, JSON.stringify({stoploss: -0.2, exchange: {pair_whitelist: ['XLM/BTC']}}))
    const run = await backtest('--freqtrade-config', userConfig, '--freqtrade-config', second)
    const config = JSON.parse(readFileSync(run.configFile, 'utf8')) as {stoploss: number; exchange: {pair_whitelist: string[]}}
    expect(config.stoploss).toBe(-0.2)
    expect(config.exchange.pair_whitelist).toEqual(['ETH/BTC', 'LTC/BTC']) // --pairs wins over the file
  })

  it("the same through the strategy's own configuration file, and through `config strategy set`; show names each key's source", async () => {
    const own = path.join(strategies, 'sample_rsi_strategy.config.json')
    writeFileSync(own, JSON.stringify(USER_CONFIG, null, 2))
    const fromFile = await backtest()
    expect(fromFile.metrics).toEqual(withFlag.metrics)
    const sources = JSON.parse(readFileSync(fromFile.configSourcesFile, 'utf8')) as {sources: Record<string, string>}
    expect(sources.sources.stoploss).toBe(`strategy configuration ${own}`)

    // `config strategy set` edits the file: start from the configuration without two keys and set them.
    const {stoploss: _stoploss, order_types: _orderTypes, ...rest} = USER_CONFIG
    writeFileSync(own, JSON.stringify(rest, null, 2))
    for (const [key, value] of Object.entries({stoploss: USER_CONFIG.stoploss, order_types: USER_CONFIG.order_types})) {
      const set = await runCli(['config', 'strategy', 'set', 'SampleRsiStrategy', key, JSON.stringify(value), '--strategy-path', strategies, '--user-data-dir', userData, '--json'])
      expect(set.code, set.stderr).toBe(0)
      expect(schemaErrors('config-strategy-set', json(set))).toEqual([])
    }
    expect(JSON.parse(readFileSync(own, 'utf8'))).toEqual({...rest, stoploss: USER_CONFIG.stoploss, order_types: USER_CONFIG.order_types})
    const fromSet = await backtest()
    expect(fromSet.metrics).toEqual(withFlag.metrics)

    const show = await runCli(['config', 'strategy', 'show', 'SampleRsiStrategy', '--strategy-path', strategies, '--user-data-dir', userData, ...DATA, '--json'])
    expect(show.code, show.stderr).toBe(0)
    const shown = json<{entries: Array<{key: string; value: unknown; source: string}>; config: Record<string, unknown>}>(show)
    expect(schemaErrors('config-strategy-show', shown)).toEqual([])
    const source = (key: string) => shown.entries.find((entry) => entry.key === key)?.source
    expect(source('stoploss')).toBe(`strategy configuration ${own}`)
    expect(source('order_types.entry')).toBe(`strategy configuration ${own}`)
    expect(source('exchange.pair_whitelist')).toBe('flag --pairs')
    expect(source('timeframe')).toBe('strategy metadata')
    expect(source('max_open_trades')).toBe('tradai default')
    // show is what the backtest writes.
    const ran = JSON.parse(readFileSync(fromSet.configFile, 'utf8')) as Record<string, unknown>
    expect({...shown.config, exportdirectory: null}).toEqual({...ran, exportdirectory: null})

    const list = await runCli(['config', 'strategy', 'list', '--strategy-path', strategies, '--json'])
    expect(schemaErrors('config-strategy-list', json(list))).toEqual([])
    expect(json<{strategies: Array<{configFile: string}>}>(list).strategies.map((entry) => entry.configFile)).toEqual([own])

    const unset = await runCli(['config', 'strategy', 'unset', 'SampleRsiStrategy', 'unfilledtimeout.entry', '--strategy-path', strategies, '--user-data-dir', userData, '--json'])
    expect(unset.code, unset.stderr).toBe(0)
    expect((JSON.parse(readFileSync(own, 'utf8')) as {unfilledtimeout: Record<string, unknown>}).unfilledtimeout).toEqual({exit: 10, unit: 'minutes'})

    const validate = await runCli(['config', 'strategy', 'validate', '--strategy-path', strategies, '--user-data-dir', userData, '--json'])
    expect(validate.code, validate.stderr).toBe(0)
    expect(schemaErrors('config-strategy-validate', json(validate))).toEqual([])
  })

  // Independent checks: run side by side.
  describe.concurrent('bad input', () => {
    const badFile = (name: string, text: string) => {
      const file = path.join(tempDir('tradai-badcfg-'), name)
      writeFileSync(file, text)
      return file
    }

    const failing = async (...args: string[]) => {
      const run = await runCli([
        'strategy',
        'backtest',
        '--strategy',
        'SampleRsiStrategy',
        '--user-data-dir',
        userData,
        '--no-track',
        '--pairs',
        'ETH/BTC',
        '--timerange',
        '20180112-20180114',
        '--json',
        ...args,
      ])
      const document = json<ErrorJson>(run)
      expect(schemaErrors('error', document)).toEqual([])
      return {code: run.code, error: document.error, stderr: run.stderr}
    }

    it('an unknown Freqtrade key: exit 2 naming the key and what it may have meant', async () => {
      const file = badFile('typo.json', '{"stoplos": -0.1}')
      const {code, error} = await failing('--freqtrade-config', file)
      expect(code).toBe(2)
      expect(error.message).toContain("'stoplos'")
      expect(error.message).toContain(file)
      expect(error.message).toContain('did you mean stoploss')
      expect(error.details?.allowed).toContain('stoploss')
    })

    it('a wrong type or value: exit 2 naming the key and the allowed values', async () => {
      const type = await failing('--freqtrade-config', badFile('type.json', '{"stoploss": "tight"}'))
      expect(type.code).toBe(2)
      expect(type.error.message).toMatch(/'stoploss'.*not of type 'number'.*allowed: number, <= 0/)
      const choice = await failing('--freqtrade-config', badFile('enum.json', '{"unfilledtimeout": {"entry": 10, "exit": 10, "unit": "hours"}}'))
      expect(choice.code).toBe(2)
      expect(choice.error.message).toMatch(/'unfilledtimeout.unit'.*allowed: one of 'minutes', 'seconds'/)
    })

    it('a file that is not JSON: exit 2 with file and line, and no secret echoed', async () => {
      const file = badFile('broken.json', '{\n  "exchange": {\n    "secret": "TOPSECRET-never-shown"\n    "name": "binance"\n  }\n}\n')
      const {code, error, stderr} = await failing('--freqtrade-config', file)
      expect(code).toBe(2)
      expect(error.message).toContain(`${file}:4`)
      expect(JSON.stringify(error) + stderr).not.toContain('TOPSECRET')
    })

    it('credentials inside a Freqtrade config: a warning, never used, never copied into the run folder', async () => {
      const file = badFile('with-keys.json', JSON.stringify({stoploss: -0.05, exchange: {name: 'binance', key: 'AKIA-USER-KEY-123', secret: 'USER-SECRET-456'}}))
      const run = await runCli([
        'strategy',
        'backtest',
        '--strategy',
        'SampleRsiStrategy',
        '--user-data-dir',
        userData,
        '--no-track',
        '--pairs',
        'ETH/BTC',
        '--timerange',
        '20180112-20180114',
        '--json',
        '--freqtrade-config',
        file,
      ])
      expect(run.code, run.stderr).toBe(0)
      expect(run.stderr).toMatch(/exchange\.key in --freqtrade-config .*tradai credentials/)
      const result = json<BacktestJson>(run)
      for (const name of ['config.json', 'config-sources.json', 'tradai-result.json']) {
        const text = readFileSync(path.join(result.runDir, name), 'utf8')
        expect(text, name).not.toContain('AKIA-USER-KEY-123')
        expect(text, name).not.toContain('USER-SECRET-456')
      }
      expect(run.stdout + run.stderr).not.toContain('USER-SECRET-456')
      expect((JSON.parse(readFileSync(result.configFile, 'utf8')) as {stoploss: number}).stoploss).toBe(-0.05)
    })

    it("a network-only pairlist offline: exit 2 with Freqtrade's reason and the offline alternative", async () => {
      const {code, error} = await failing('--freqtrade-config', badFile('volume.json', JSON.stringify({pairlists: [{method: 'VolumePairList', number_assets: 5}]})))
      expect(code).toBe(2)
      expect(error.message).toContain('VolumePairList')
      expect(error.message).toContain('do not support backtesting')
      expect(error.suggestions.join(' ')).toContain('StaticPairList')
    })

    it('config strategy set refuses an invalid value and a credential, and leaves the file as it was', async () => {
      const own = path.join(strategies, 'sample_rsi_strategy.config.json')
      writeFileSync(own, `${JSON.stringify({stoploss: -0.05}, null, 2)}\n`)
      const before = readFileSync(own, 'utf8')
      const bad = await runCli([
        'config',
        'strategy',
        'set',
        'SampleRsiStrategy',
        'unfilledtimeout.unit',
        'hours',
        '--strategy-path',
        strategies,
        '--user-data-dir',
        userData,
        '--json',
      ])
      expect(bad.code).toBe(2)
      expect(json<ErrorJson>(bad).error.message).toContain("'minutes', 'seconds'")
      const secret = await runCli([
        'config',
        'strategy',
        'set',
        'SampleRsiStrategy',
        'exchange.secret',
        'S3CRET',
        '--strategy-path',
        strategies,
        '--user-data-dir',
        userData,
        '--json',
      ])
      expect(secret.code).toBe(2)
      expect(json<ErrorJson>(secret).error.message).toContain('tradai credentials')
      expect(readFileSync(own, 'utf8')).toBe(before)
    })
  })
})
