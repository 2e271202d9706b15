import {cpSync} from 'node:fs'
import {beforeAll, describe, expect, it} from 'vitest'

import {json, runCli} from '../helpers/cli.js'
import {schemaErrors} from '../helpers/json-schema.js'
import {fixtureUserData, STRATEGIES, tempDir} from '../helpers/paths.js'

// One pair, a few days, a handful of epochs: enough trials to sort and filter.
const DATA = ['--pairs', 'ETH/BTC', '--timerange', '20180112-20180128', '--spaces', 'buy', 'sell', '--no-track', '--no-export']

interface Trial {
  number: number
  loss: number | null
  metrics: {profitTotal: number | null; totalTrades: number | null} | null
}

interface StudyJson {
  study: string
  engine: string
  completedTrials: number
  bestLoss: number | null
  storage: string
  trialList?: Trial[]
  selection?: {sortBy: string | null; top: number | null; filter: string[]; matched: number; total: number}
}

describe('hyperopt list / show know both engines: Optuna studies and Freqtrade-engine runs (.fthypt)', () => {
  let location: string[]
  let optuna: {study: string; bestLoss: number}
  let freqtrade: {study: string; bestLoss: number; storage: string}

  beforeAll(async () => {
    const strategies = tempDir('tradai-strat-')
    cpSync(STRATEGIES, strategies, {recursive: true})
    location = ['--user-data-dir', fixtureUserData(), '--studies-dir', tempDir('tradai-studies-')]
    const common = ['--strategy', 'SampleRsiStrategy', ...DATA, '--strategy-path', strategies, ...location, '--json']
    const first = await runCli(['hyperopt', 'run', ...common, '--epochs', '4', '--seed', '3', '--study', 'small'])
    expect(first.code, first.stderr).toBe(0)
    optuna = json(first)
    const second = await runCli(['hyperopt', 'run', ...common, '--engine', 'freqtrade', '--epochs', '4', '--seed', '3'])
    expect(second.code, second.stderr).toBe(0)
    freqtrade = json(second)
  })

  it('list shows both, each with its engine', async () => {
    const list = await runCli(['hyperopt', 'list', ...location, '--json'])
    expect(list.code, list.stderr).toBe(0)
    const studies = json<{studies: StudyJson[]}>(list)
    expect(schemaErrors('hyperopt-list', studies)).toEqual([])
    expect(studies.studies).toHaveLength(2)
    expect(studies.studies).toEqual(
      expect.arrayContaining([
        expect.objectContaining({study: 'small', engine: 'optuna', completedTrials: 4, bestLoss: optuna.bestLoss}),
        expect.objectContaining({
          study: freqtrade.study,
          engine: 'freqtrade',
          strategy: 'SampleRsiStrategy',
          loss: 'SharpeHyperOptLoss',
          completedTrials: 4,
          bestLoss: freqtrade.bestLoss,
          storage: freqtrade.storage,
        }),
      ]),
    )
    const human = await runCli(['hyperopt', 'list', ...location])
    expect(human.stdout).toMatch(new RegExp(`${freqtrade.study}\\s+freqtrade\\s+SampleRsiStrategy`))
  })

  it('show finds the Freqtrade-engine run by the name `hyperopt run` printed, with its epochs', async () => {
    const show = await runCli(['hyperopt', 'show', freqtrade.study, ...location, '--json'])
    expect(show.code, show.stderr).toBe(0)
    const detail = json<StudyJson>(show)
    expect(schemaErrors('hyperopt-show', detail)).toEqual([])
    expect(detail).toMatchObject({study: freqtrade.study, engine: 'freqtrade', bestLoss: freqtrade.bestLoss})
    expect(detail.trialList!.map((t) => t.number)).toEqual([1, 2, 3, 4]) // Freqtrade counts epochs from 1
    const one = await runCli(['hyperopt', 'show', freqtrade.study, '--trial', '2', ...location, '--json'])
    expect(schemaErrors('hyperopt-show', json(one))).toEqual([])
    expect(json<{trial: {number: number; paramsDetails: Record<string, unknown>}}>(one).trial).toMatchObject({number: 2, paramsDetails: {buy: expect.any(Object)}})
  })

  for (const engine of ['optuna', 'freqtrade'] as const) {
    it(`show --sort-by / --top / --filter choose among the trials (${engine})`, async () => {
      const name = engine === 'optuna' ? optuna.study : freqtrade.study
      const all = json<StudyJson>(await runCli(['hyperopt', 'show', name, ...location, '--json'])).trialList!
      const sorted = await runCli(['hyperopt', 'show', name, '--sort-by', 'loss', '--top', '2', ...location, '--json'])
      expect(sorted.code, sorted.stderr).toBe(0)
      const detail = json<StudyJson>(sorted)
      expect(schemaErrors('hyperopt-show', detail)).toEqual([])
      const byLoss = [...all].sort((a, b) => a.loss! - b.loss! || a.number - b.number)
      expect(detail.trialList!.map((t) => t.number)).toEqual(byLoss.slice(0, 2).map((t) => t.number))
      expect(detail.selection).toEqual({sortBy: 'loss', top: 2, filter: [], matched: 4, total: 4})

      const filtered = json<StudyJson>(await runCli(['hyperopt', 'show', name, '--filter', 'totalTrades >= 1', '--sort-by', 'profitTotal', ...location, '--json']))
      const expected = all.filter((t) => (t.metrics?.totalTrades ?? 0) >= 1).sort((a, b) => b.metrics!.profitTotal! - a.metrics!.profitTotal! || a.number - b.number)
      expect(expected.length).toBeGreaterThan(0) // the filter has trials to keep (and sort)
      expect(filtered.trialList!.map((t) => t.number)).toEqual(expected.map((t) => t.number))
      expect(filtered.selection).toMatchObject({filter: ['totalTrades >= 1'], matched: expected.length, total: 4})
    })
  }

  it('a bad --filter is a usage error naming it (exit 2)', async () => {
    const bad = await runCli(['hyperopt', 'show', 'small', '--filter', 'profit > 0', ...location, '--json'])
    expect(bad.code).toBe(2)
    expect(json<{error: {message: string}}>(bad).error.message).toMatch(/Unknown metric "profit" in filter "profit > 0"/)
  })
})
