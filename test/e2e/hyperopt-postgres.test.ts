import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {json, runCli} from '../helpers/cli.js'
import {fixtureUserData, STRATEGIES, tempDir} from '../helpers/paths.js'
import {postgresUnavailable, startPostgres, type Postgres} from '../helpers/postgres.js'
import {cpSync} from 'node:fs'

const unavailable = postgresUnavailable()
const DATA = ['--pairs', 'ETH/BTC', 'LTC/BTC', '--timerange', '20180115-20180125']

interface RunJson {
  study: string
  epochs: number
  completedTrials: number
  storage: string
}

interface ShowJson {
  trials: number
  completedTrials: number
  trialList: Array<{number: number; state: string; run: string}>
}

describe.skipIf(unavailable)(`hyperopt on a shared PostgreSQL storage${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let pg: Postgres
  let userData: string
  let strategies: string

  beforeAll(async () => {
    pg = await startPostgres()
    userData = fixtureUserData()
    strategies = tempDir('tradai-strat-')
    cpSync(STRATEGIES, strategies, {recursive: true})
  })

  afterAll(() => pg?.stop())

  it('two workers on one storage add to one study with distinct trial numbers', async () => {
    const common = ['--strategy-path', strategies, '--user-data-dir', userData, '--storage', pg.url, '--no-track', '--json']
    const first = await runCli(['hyperopt', 'run', '--strategy', 'SampleRsiStrategy', ...DATA, '--spaces', 'buy', '--epochs', '2', '--study', 'shared', '--no-export', ...common])
    expect(first.code, first.stderr).toBe(0)
    expect(json<RunJson>(first)).toMatchObject({study: 'shared', epochs: 2, completedTrials: 2})

    const workers = await Promise.all([1, 2].map((seed) => runCli(['hyperopt', 'worker', '--study', 'shared', '--epochs', '3', '--seed', String(seed), ...common])))
    for (const worker of workers) {
      expect(worker.code, worker.stderr).toBe(0)
      expect(json<RunJson>(worker).epochs).toBe(3)
    }

    const show = await runCli(['hyperopt', 'show', 'shared', '--storage', pg.url, '--json'])
    expect(show.code, show.stderr).toBe(0)
    const study = json<ShowJson>(show)
    expect(study.completedTrials).toBe(8)
    const numbers = study.trialList.map((trial) => trial.number)
    expect(new Set(numbers).size).toBe(numbers.length)
    expect([...numbers].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7])
    // Three runs (the first and two workers) wrote into the one study.
    expect(new Set(study.trialList.map((trial) => trial.run)).size).toBe(3)

    const list = await runCli(['hyperopt', 'list', '--storage', pg.url, '--json'])
    expect(json<{studies: Array<{study: string; completedTrials: number}>}>(list).studies).toEqual([expect.objectContaining({study: 'shared', completedTrials: 8})])
  })

  it('a worker for a study the storage does not have exits 5', async () => {
    const result = await runCli([
      'hyperopt',
      'worker',
      '--study',
      'nope',
      '--epochs',
      '1',
      '--storage',
      pg.url,
      '--strategy-path',
      strategies,
      '--user-data-dir',
      userData,
      '--json',
    ])
    expect(result.code).toBe(5)
    expect(json<{error: {code: string; message: string}}>(result).error.message).toContain('nope')
  })
})
