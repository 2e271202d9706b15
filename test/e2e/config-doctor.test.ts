import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {json, runCli} from '../helpers/cli.js'
import {schemaErrors} from '../helpers/json-schema.js'
import {ENGINE_PYTHON, fixtureUserData, tempDir} from '../helpers/paths.js'

describe('config commands', () => {
  it('config show --json: every key with its source, secrets masked', async () => {
    const dir = tempDir()
    writeFileSync(path.join(dir, 'tradai.config.json'), JSON.stringify({exchange: 'kraken'}))
    const run = await runCli(['config', 'show', '--json'], {cwd: dir, env: {MLFLOW_TRACKING_PASSWORD: 'hunter2-secret', STRATEGY_SERVICE_PORT: '9100'}})
    expect(run.code, run.stderr).toBe(0)
    const shown = json<{file: string; entries: Array<{key: string; value: unknown; source: string}>}>(run)
    expect(shown.file).toBe(path.join(dir, 'tradai.config.json'))
    expect(schemaErrors('config-show', shown)).toEqual([])
    // Every key, set or not: an unset optional key is listed as "not set".
    expect(shown.entries.find((item) => item.key === 'outputDir')).toMatchObject({value: null, source: 'not set'})
    const entry = (key: string) => shown.entries.find((item) => item.key === key)
    expect(entry('exchange')).toMatchObject({value: 'kraken', source: `file ${path.join(dir, 'tradai.config.json')}`})
    expect(entry('server.port')).toMatchObject({value: 9100, source: 'environment variable STRATEGY_SERVICE_PORT'})
    expect(entry('tracking.password')?.value).toBe('********')
    expect(run.stdout + run.stderr).not.toContain('hunter2-secret')
  })

  it('config init writes a starter file that validates; refuses to overwrite', async () => {
    const dir = tempDir()
    const init = await runCli(['config', 'init', '--json'], {cwd: dir})
    expect(init.code, init.stderr).toBe(0)
    const file = json<{file: string}>(init).file
    expect(readFileSync(file, 'utf8')).toContain('# tradai configuration')
    const validate = await runCli(['config', 'validate', file, '--json'], {cwd: dir})
    expect(json(validate)).toEqual({valid: true, file})
    const again = await runCli(['config', 'init'], {cwd: dir})
    expect(again.code).toBe(2)
    expect(again.stderr).toContain('already exists')
  })

  it('config validate: a bad file exits 2 naming the key', async () => {
    const dir = tempDir()
    writeFileSync(path.join(dir, 'bad.yaml'), 'engine:\n  autoSetup: sometimes\n')
    const run = await runCli(['config', 'validate', 'bad.yaml'], {cwd: dir})
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('engine.autoSetup')
    expect(run.stderr).toContain('bad.yaml')
  })
})

describe('doctor and engine info', () => {
  it('doctor --json reports the engine interpreter and Freqtrade version (exit 1: no tracking server)', async () => {
    const run = await runCli(['doctor', '--json', '--user-data-dir', fixtureUserData()])
    expect(run.code, run.stderr).toBe(1)
    const report = json<{engine: {python: string; freqtrade: string; status: string}; userDataDir: {candleFiles: number}; tracking: {reachable: boolean}}>(run)
    expect(report.engine.status).toBe('ready')
    expect(existsSync(report.engine.python)).toBe(true)
    expect(report.engine.python).toBe(ENGINE_PYTHON)
    expect(report.engine.freqtrade).toBe('2026.9')
    expect(report.userDataDir.candleFiles).toBe(10)
    expect(report.tracking.reachable).toBe(false)
  })

  it('a command needing a missing engine says what to run when auto-setup is off', async () => {
    const run = await runCli(['strategy', 'backtest', '--strategy', 'SampleRsiStrategy'], {
      env: {TRADAI_ENGINE_DIR: path.join(tempDir(), 'engine'), TRADAI_ENGINE_AUTO_SETUP: 'false'},
    })
    expect(run.code).toBe(3)
    expect(run.stderr).toContain('tradai engine setup')
  })

  it('engine info --json and engine setup (idempotent: nothing to do)', async () => {
    const info = json<{status: string; packages: Record<string, string>}>(await runCli(['engine', 'info', '--json']))
    expect(info.status).toBe('ready')
    expect(info.packages.freqtrade).toBe('2026.9')
    const setup = await runCli(['engine', 'setup', '--json'])
    expect(setup.code, setup.stderr).toBe(0)
    expect(json<{changed: boolean}>(setup).changed).toBe(false)
  })
})
