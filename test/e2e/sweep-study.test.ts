import {spawn} from 'node:child_process'
import {copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {json, runCli, type CliResult} from '../helpers/cli.js'
import {schemaErrors} from '../helpers/json-schema.js'
import {fixtureUserData, REPO, tempDir} from '../helpers/paths.js'
import {postgresUnavailable, startPostgres, type Postgres} from '../helpers/postgres.js'

const unavailable = postgresUnavailable()
const GRID = ['--grid', 'fast_ema=8,14', '--grid', 'sell_rsi=60,70']
const DATA = ['--pairs', 'ETH/BTC', '--timerange', '20180115-20180118']

interface SweepJson {
  runId: string
  points: Array<{index: number; params: Record<string, number>; metrics: Record<string, number | null>; runDir: string}>
  study?: {name: string; storage: string; pointsHere: number}
}

interface ShowJson {
  trialList: Array<{number: number; state: string; params: Record<string, number>; run: string | null}>
}

const byIndex = (sweep: SweepJson) => [...sweep.points].sort((a, b) => a.index - b.index).map(({index, params, metrics}) => ({index, params, metrics}))

/** Waits until `count` processes other than `except` wait at the strategy's gate (see the fixture). */
async function arrived(gate: string, count: number, except: string[] = []): Promise<string[]> {
  for (let i = 0; i < 1200; i++) {
    const pids = existsSync(gate) ? readdirSync(gate).filter((name) => name !== 'open' && !except.includes(name)) : []
    if (pids.length >= count) return pids
    await new Promise((resolve) => setTimeout(resolve, 100))
  }

  throw new Error(`${count} process(es) never reached the gate ${gate}`)
}

describe.skipIf(unavailable)(`strategy sweep on a shared PostgreSQL study${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let pg: Postgres
  let userData: string
  let strategies: string
  let gate: string

  beforeAll(async () => {
    pg = await startPostgres()
    userData = fixtureUserData()
    strategies = tempDir('tradai-gated-')
    mkdirSync(strategies, {recursive: true})
    copyFileSync(path.join(REPO, 'test/fixtures/strategies/gated_sweep_strategy.py'), path.join(strategies, 'gated_sweep_strategy.py'))
    gate = path.join(strategies, 'gate')
  })

  afterAll(() => pg?.stop())

  it('a stopped sweep, resumed beside a worker: every point runs once, with the in-process numbers', async () => {
    const local = ['--strategy-path', strategies, '--user-data-dir', userData, '--no-track']
    const sweep = ['strategy', 'sweep', '--strategy', 'GatedSweepStrategy', ...GRID, ...DATA, ...local, '--storage', pg.url, '--study', 'grid-1']

    // 1. The sweep creates the study, takes a point and is stopped inside it (SIGTERM): that point is failed and queued again.
    let first: ReturnType<typeof spawn> | undefined
    const stopped = runCli(sweep, {onSpawn: (child) => (first = child)})
    const [firstPid] = await arrived(gate, 1)
    first!.kill('SIGTERM')
    expect((await stopped).code).toBe(143)

    // 2. The sweep resumed and a worker at once; both hold at the gate inside a point until each has one.
    const resumed = runCli([...sweep, '--json'])
    await arrived(gate, 1, [firstPid!])
    const worker = runCli(['hyperopt', 'worker', '--study', 'grid-1', '--storage', pg.url, ...local, '--json'])
    await arrived(gate, 2, [firstPid!])
    writeFileSync(path.join(gate, 'open'), '')
    const [a, b] = (await Promise.all([resumed, worker])) as [CliResult, CliResult]
    expect(a.code, a.stderr).toBe(0)
    expect(b.code, b.stderr).toBe(0)
    const main = json<SweepJson>(a)
    const joined = json<SweepJson>(b)
    expect(schemaErrors('strategy-sweep', main)).toEqual([])
    expect(schemaErrors('strategy-sweep', joined)).toEqual([])

    // Each process ran points, together all four; both print the whole sweep, read from the study.
    expect(main.study!.pointsHere).toBeGreaterThan(0)
    expect(joined.study!.pointsHere).toBeGreaterThan(0)
    expect(main.study!.pointsHere + joined.study!.pointsHere).toBe(4)
    expect(byIndex(joined)).toEqual(byIndex(main))

    // No point ran twice: one COMPLETE trial per grid point, the stopped one FAILED (its retry completed),
    // anything else a discarded duplicate suggestion (PRUNED: nothing ran). Beside it, the same grid
    // in-process (no study), for the numbers.
    const [show, plain] = await Promise.all([
      runCli(['hyperopt', 'show', 'grid-1', '--storage', pg.url, '--json']),
      runCli(['strategy', 'sweep', '--strategy', 'GatedSweepStrategy', ...GRID, ...DATA, ...local, '--json']),
    ])
    expect(show.code, show.stderr).toBe(0)
    const trials = json<ShowJson>(show).trialList
    const complete = trials.filter((trial) => trial.state === 'complete')
    expect(complete.map((trial) => JSON.stringify(trial.params)).sort()).toEqual(main.points.map((point) => JSON.stringify(point.params)).sort())
    expect(new Set(complete.map((trial) => trial.run))).toEqual(new Set([main.runId, joined.runId]))
    const failed = trials.filter((trial) => trial.state === 'fail')
    expect(failed).toHaveLength(1)
    expect(complete.map((trial) => JSON.stringify(trial.params))).toContain(JSON.stringify(failed[0]!.params))
    expect(trials.filter((trial) => !['complete', 'fail', 'pruned'].includes(trial.state))).toEqual([])

    // The in-process sweep gives every point the same numbers.
    expect(plain.code, plain.stderr).toBe(0)
    const reference = json<SweepJson>(plain)
    expect(reference.study).toBeUndefined()
    expect(byIndex(main)).toEqual(byIndex(reference))
    expect(new Set(reference.points.map((point) => point.metrics.totalTrades! + point.metrics.profitTotal!)).size).toBeGreaterThan(1)
  }, 300_000)
})
