import {spawnSync} from 'node:child_process'
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {json, runCli} from '../helpers/cli.js'
import {schemaErrors} from '../helpers/json-schema.js'
import {ENGINE_DIR, fixtureUserData, REPO, tempDir} from '../helpers/paths.js'

interface ErrorJson {
  error: {code: string; message: string; exitCode: number; suggestions: string[]}
}

describe('rough edges a new user meets first', () => {
  it('doctor exits 1 when a check is not ok (no tracking server), printing the whole report', async () => {
    const run = await runCli(['doctor', '--json', '--user-data-dir', fixtureUserData()])
    expect(run.code, run.stderr).toBe(1)
    const report = json<{ok: boolean; problems: string[]; tracking: {reachable: boolean}}>(run)
    expect(report).toMatchObject({ok: false, tracking: {reachable: false}})
    expect(report.problems.length).toBeGreaterThan(0)
    const text = await runCli(['doctor', '--user-data-dir', fixtureUserData()])
    expect(text.code).toBe(1)
    expect(text.stdout).toMatch(/Tracking http:\/\/127\.0\.0\.1:9/)
  })

  it('tracking status exits 4 when the server is down, still printing its status document', async () => {
    const run = await runCli(['tracking', 'status', '--json'], {env: {TRADAI_MLFLOW_DIR: tempDir()}})
    expect(run.code, run.stderr).toBe(4)
    const status = json<{reachable: boolean}>(run)
    expect(schemaErrors('tracking-status', status)).toEqual([])
    expect(status.reachable).toBe(false)
  })

  it('a mistyped command: "did you mean" and exit 2; under --json the one JSON error document', async () => {
    const run = await runCli(['strategy', 'backtst', '--json'])
    expect(run.code).toBe(2)
    const {error} = json<ErrorJson>(run)
    expect(schemaErrors('error', {error})).toEqual([])
    expect(error).toMatchObject({code: 'USAGE', exitCode: 2})
    expect(error.message).toContain('strategy backtst')
    expect(error.suggestions[0]).toBe('Did you mean `tradai strategy backtest`?')

    const text = await runCli(['strategy', 'backtst'])
    expect(text.code).toBe(2)
    expect(text.stdout).toBe('')
    expect(text.stderr).toContain('Did you mean `tradai strategy backtest`?')
  })

  it('shell completion: `tradai autocomplete` is a command', async () => {
    const run = await runCli(['autocomplete', 'bash'], {env: {XDG_CACHE_HOME: tempDir(), HOME: tempDir()}})
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toContain('tradai')
    expect(run.stdout.toLowerCase()).toContain('autocomplete')
  })

  it('on a terminal, stages that did not run keep their names', () => {
    // A pseudo-terminal (util-linux `script`) so the listr2 tree renders; lint without --deep never
    // reaches the two stages of Freqtrade's analyses.
    const command = `node ${path.join(REPO, 'bin/run.js')} strategy lint strategies/sample_rsi_strategy.py`
    const run = spawnSync('script', ['-qec', `stty cols 120 rows 40; ${command}`, '/dev/null'], {
      cwd: REPO,
      env: {...process.env, CI: '', TERM: 'xterm', TRADAI_ENGINE_DIR: ENGINE_DIR, TRADAI_MLFLOW_TRACKING_URI: 'http://127.0.0.1:9'},
      encoding: 'utf8',
      timeout: 300_000,
    })
    expect(run.status, run.stdout).toBe(0)
    // eslint-disable-next-line no-control-regex
    const screen = run.stdout.replaceAll(/\u001B\[[0-9;?]*[A-Za-z]/g, '')
    expect(screen).toContain("Freqtrade's lookahead-analysis (not reached)")
    expect(screen).toContain("Freqtrade's recursive-analysis (not reached)")
  })
})

describe('report files of an untracked backtest', () => {
  it('summary.md and equity.svg are written without tracking, their paths printed, numbers formatted', async () => {
    const run = await runCli([
      'strategy',
      'backtest',
      '--strategy',
      'SampleRsiStrategy',
      '--user-data-dir',
      fixtureUserData(),
      '--pairs',
      'ETH/BTC',
      '--timerange',
      '20180120-20180123',
      '--no-track',
    ])
    expect(run.code, run.stderr).toBe(0)
    const reports = /^Reports: (\S+summary\.md) {2}· {2}(\S+equity\.svg)$/m.exec(run.stdout)
    expect(reports, run.stdout).not.toBeNull()
    const summary = readFileSync(reports![1]!, 'utf8')
    expect(readFileSync(reports![2]!, 'utf8')).toMatch(/^<svg /)
    expect(summary).toContain('| profitTotal |')
    // No float noise such as 0.006588919999999998: at most 8 significant digits.
    expect(summary).not.toMatch(/\.0*[1-9]\d{8,}/)
  }, 300_000)
})
