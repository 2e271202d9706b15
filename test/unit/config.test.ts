import {writeFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {describeConfig} from '../../src/core/config/describe.js'
import {loadConfig} from '../../src/core/config/load.js'
import {ConfigError} from '../../src/core/errors.js'
import {tempDir} from '../helpers/paths.js'

describe('loadConfig precedence: flag > env > file > default', () => {
  it('takes each layer in order and records where each value came from', async () => {
    const dir = tempDir()
    writeFileSync(path.join(dir, 'tradai.config.yaml'), 'exchange: kraken\nmaxOpenTrades: 5\nfee: 0.002\nuserDataDir: ud\n')
    const resolved = await loadConfig({
      cwd: dir,
      env: {TRADAI_MAX_OPEN_TRADES: '7', TRADAI_FEE: '0.003'},
      flags: {fee: {value: 0.004, flag: '--fee'}},
    })
    expect(resolved.config.exchange).toBe('kraken')
    expect(resolved.sources.exchange).toEqual({kind: 'file', path: path.join(dir, 'tradai.config.yaml')})
    expect(resolved.config.maxOpenTrades).toBe(7)
    expect(resolved.sources.maxOpenTrades).toEqual({kind: 'env', name: 'TRADAI_MAX_OPEN_TRADES'})
    expect(resolved.config.fee).toBe(0.004)
    expect(resolved.sources.fee).toEqual({kind: 'flag', name: '--fee'})
    expect(resolved.config.strategiesDir).toBe(path.join(dir, 'strategies'))
    expect(resolved.sources.strategiesDir).toEqual({kind: 'default'})
    // Paths in a file are relative to the file.
    expect(resolved.config.userDataDir).toBe(path.join(dir, 'ud'))
  })

  it("accepts the platform's STRATEGY_SERVICE_* names, with TRADAI_* winning", async () => {
    const dir = tempDir()
    const env = {
      STRATEGY_SERVICE_MLFLOW_TRACKING_URI: 'http://mlflow.internal:5000',
      STRATEGY_SERVICE_PORT: '9003',
      STRATEGY_SERVICE_HOST: '127.0.0.1',
      STRATEGY_SERVICE_STRATEGIES_DIR: '/srv/strategies',
      STRATEGY_SERVICE_USER_DATA_DIR: '/srv/user_data',
      MLFLOW_TRACKING_URI: 'http://ignored:5000',
    }
    const resolved = await loadConfig({cwd: dir, env})
    expect(resolved.config.tracking.uri).toBe('http://mlflow.internal:5000')
    expect(resolved.config.server).toMatchObject({host: '127.0.0.1', port: 9003})
    expect(resolved.config.strategiesDir).toBe('/srv/strategies')
    expect(resolved.config.userDataDir).toBe('/srv/user_data')
    const winner = await loadConfig({cwd: dir, env: {...env, TRADAI_MLFLOW_TRACKING_URI: 'http://tradai:5000'}})
    expect(winner.config.tracking.uri).toBe('http://tradai:5000')
    // The server's own names beat the older TRADAI_HOST/PORT and the platform's.
    const server = await loadConfig({cwd: dir, env: {...env, TRADAI_PORT: '9100', TRADAI_SERVER_PORT: '9200', TRADAI_SERVER_HOST: '::1'}})
    expect(server.config.server).toMatchObject({host: '::1', port: 9200, shutdownGraceSeconds: 30})
    expect(server.sources['server.port']).toEqual({kind: 'env', name: 'TRADAI_SERVER_PORT'})
  })

  it('finds the file upward from a sub-folder', async () => {
    const dir = tempDir()
    writeFileSync(path.join(dir, 'package.json'), '{"name": "x"}')
    writeFileSync(path.join(dir, '.tradairc.json'), '{"exchange": "kucoin"}')
    const {mkdirSync} = await import('node:fs')
    mkdirSync(path.join(dir, 'a', 'b'), {recursive: true})
    const resolved = await loadConfig({cwd: path.join(dir, 'a', 'b'), env: {}})
    expect(resolved.config.exchange).toBe('kucoin')
  })

  it.each([
    ['unknown key', 'stake_ammount: 10\n', {}, /unknown key "stake_ammount".*known keys: .*stakeAmount/s],
    ['unknown nested key', 'engine:\n  path: x\n', {}, /unknown key "engine.path"/],
    ['wrong type in file', 'maxOpenTrades: many\n', {}, /"maxOpenTrades"/],
    ['bad env value names the variable', '', {TRADAI_PORT: 'eighty'}, /"server.port" = "eighty" \(from environment variable TRADAI_PORT\)/],
    ['bad URL', '', {MLFLOW_TRACKING_URI: 'not a url'}, /"tracking.uri".*MLFLOW_TRACKING_URI/],
  ])('%s → ConfigError naming key and source', async (_name, file, env, message) => {
    const dir = tempDir()
    if (file) writeFileSync(path.join(dir, 'tradai.config.yaml'), file)
    const error = await loadConfig({cwd: dir, env}).catch((error_: unknown) => error_)
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).exitCode).toBe(2)
    expect((error as ConfigError).message).toMatch(message)
  })

  it('a missing --config file is a ConfigError naming the path', async () => {
    const error = await loadConfig({cwd: tempDir(), env: {}, configPath: 'nope.yaml'}).catch((error_: unknown) => error_)
    expect((error as ConfigError).message).toMatch(/Config file not found: .*nope\.yaml/)
  })

  it('masks secrets when describing the config', async () => {
    const resolved = await loadConfig({cwd: tempDir(), env: {MLFLOW_TRACKING_PASSWORD: 's3cr3t-pw', MLFLOW_TRACKING_TOKEN: 'tok-123'}})
    const described = JSON.stringify(describeConfig(resolved))
    expect(described).not.toContain('s3cr3t-pw')
    expect(described).not.toContain('tok-123')
    expect(described).toContain('tracking.password')
  })
})
