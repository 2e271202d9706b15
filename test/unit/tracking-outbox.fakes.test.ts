import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import type {BacktestResult} from '../../src/core/backtest/run-backtest.js'
import type {BacktestMetrics} from '../../src/core/backtest/metrics.js'
import {TrackingError} from '../../src/core/errors.js'
import type {CoreContext} from '../../src/core/events.js'
import {listOutbox} from '../../src/core/tracking/outbox.js'
import {syncOutbox} from '../../src/core/tracking/sync.js'
import {trackBacktest, type BacktestTracking} from '../../src/core/tracking/track-backtest.js'
import {FakeRegistry} from '../fakes/registry.js'

// The tracking outbox fallback on the fake tracker: MLflow failing never fails a finished
// backtest; the run is queued with what got through, and `tracking sync` finishes it exactly once.

const ctx = (): CoreContext => ({signal: new AbortController().signal, onEvent: () => {}})

function finishedBacktest(): {result: BacktestResult; settings: BacktestTracking} {
  const root = mkdtempSync(path.join(tmpdir(), 'tradai-outbox-'))
  const runDir = path.join(root, 'run')
  const file = (name: string, text: string) => {
    const target = path.join(root, name)
    writeFileSync(target, text)
    return target
  }

  mkdirSync(runDir)
  const strategyFile = file('fake_rsi.py', 'class FakeRsi: pass\n')
  writeFileSync(path.join(runDir, 'tradai-result.json'), '{}\n')
  const metrics = {totalTrades: 2, wins: 1, losses: 1, draws: 0, profitTotal: 0.01, profitTotalAbs: 0.01, startingBalance: 1, finalBalance: 1.01} as BacktestMetrics
  const result: BacktestResult = {
    runId: `20261201-000000-${Math.random().toString(36).slice(2, 8)}`,
    strategy: 'FakeRsi',
    strategyClass: 'FakeRsi',
    strategyFile,
    strategyVersion: '1.0.0',
    exchange: 'binance',
    timeframe: '5m',
    timerange: null,
    period: {start: '2018-01-10T05:00:00Z', end: '2018-01-11T05:00:00Z'},
    pairs: ['ETH/BTC'],
    stakeCurrency: 'BTC',
    params: {buy: {rsi: 30}},
    metrics,
    perPair: [],
    exitReasons: [],
    equityCurve: [{date: '2018-01-10T06:00:00Z', balance: 1.01}] as BacktestResult['equityCurve'],
    marketsSource: 'synthesized',
    runDir,
    resultFile: file('backtest-result.zip', 'zip bytes'),
    configFile: file('config.json', JSON.stringify({trading_mode: 'spot', stake_amount: 'unlimited', max_open_trades: 3})),
    strategyFiles: [strategyFile],
    engine: {freqtrade: '2026.9'},
    configSourcesFile: file('config-sources.json', '{}'),
    reports: {summary: file('summary.md', '# FakeRsi'), equityChart: file('equity.svg', '<svg/>')},
    warnings: [],
  }
  const settings: BacktestTracking = {
    enabled: true,
    experiment: {experimentName: '{strategy}', experimentPrefix: 'tradai'},
    outboxDir: path.join(root, 'outbox'),
    context: {user: 'tester', host: 'h', tradaiVersion: '0.0.0-test', ci: {}},
    secrets: [],
  }
  return {result, settings}
}

describe('tracking outbox fallback on the fake tracker', () => {
  it('logs straight to the tracker when it works', async () => {
    const port = new FakeRegistry()
    const {result, settings} = finishedBacktest()
    const outcome = await trackBacktest(result, settings, port, {startTime: 1, endTime: 2}, ctx())
    expect(outcome.status).toBe('logged')
    const run = await port.getRun(outcome.runId!)
    expect(run.info.status).toBe('FINISHED')
    expect(await listOutbox(settings.outboxDir)).toEqual([])
  })

  it('a tracker that is down queues the run; sync logs it once when the tracker is back', async () => {
    const port = new FakeRegistry()
    port.failing.set('ensureExperiment', new TrackingError('MLflow at fake is unreachable: ECONNREFUSED'))
    const {result, settings} = finishedBacktest()
    const outcome = await trackBacktest(result, settings, port, {startTime: 1, endTime: 2}, ctx())
    expect(outcome).toMatchObject({status: 'queued', runId: null, url: null})
    expect(outcome.reason).toContain('ECONNREFUSED')
    expect(await listOutbox(settings.outboxDir)).toHaveLength(1)
    expect(port.runs.size).toBe(0)

    port.failing.clear()
    const synced = await syncOutbox(settings.outboxDir, port, ctx())
    expect(synced.synced).toHaveLength(1)
    expect(synced.remaining).toBe(0)
    expect(port.runs.size).toBe(1)
    const [run] = port.runs.values()
    expect(run!.tags.get('tradai.clientRunId')).toBe(result.runId)
    expect(run!.info.status).toBe('FINISHED')
    expect([...run!.artifacts.keys()]).toContain('strategy/fake_rsi.py')
  })

  it('a tracker failing mid-run keeps what got through: sync resumes the same run, never a second one', async () => {
    const port = new FakeRegistry()
    port.failing.set('uploadArtifact', new TrackingError('MLflow: 503 Service Unavailable'))
    const {result, settings} = finishedBacktest()
    const outcome = await trackBacktest(result, settings, port, {startTime: 1, endTime: 2}, ctx())
    expect(outcome.status).toBe('queued')
    expect(outcome.runId).toMatch(/^run/)
    expect(port.runs.get(outcome.runId!)!.info.status).toBe('RUNNING')

    port.failing.clear()
    const synced = await syncOutbox(settings.outboxDir, port, ctx())
    expect(synced.synced.map((entry) => entry.runId)).toEqual([outcome.runId])
    expect(port.runs.size).toBe(1)
    expect(port.runs.get(outcome.runId!)!.info.status).toBe('FINISHED')
  })
})
