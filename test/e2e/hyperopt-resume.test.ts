import {cpSync, existsSync, rmSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'

import {json, runCli} from '../helpers/cli.js'
import {fixtureUserData, STRATEGIES, tempDir} from '../helpers/paths.js'
import {processesIn, waitFor} from '../helpers/processes.js'

const DATA = ['--pairs', 'ETH/BTC', 'LTC/BTC', '--timerange', '20180112-20180128']

interface ShowJson {
  completedTrials: number
  runningTrials: number
  trialList: Array<{number: number; state: string; loss: number | null}>
}

interface RunJson {
  study: string
  epochs: number
  completedTrials: number
  failedOrphans: number[]
  paretoFront: Array<{number: number; objectives: Record<string, number>; metrics: {totalTrades: number; profitTotal: number}}> | null
}

/** The highest "Optimize: N/TOTAL" progress line seen so far. */
function epochsDone(stderr: string, total: number): number {
  const done = [...stderr.matchAll(new RegExp(`Optimize: (\\d+)/${total}`, 'g'))].map((match) => Number(match[1]))
  return done.length > 0 ? Math.max(...done) : 0
}

describe('hyperopt run: resumable study (journal file)', () => {
  let opts: string[]
  let studies: string

  beforeAll(() => {
    const strategies = tempDir('tradai-strat-')
    cpSync(STRATEGIES, strategies, {recursive: true})
    studies = tempDir('tradai-studies-')
    opts = ['--strategy-path', strategies, '--user-data-dir', fixtureUserData(), '--studies-dir', studies, '--no-track', '--no-export']
  })

  const show = async () => json<ShowJson>(await runCli(['hyperopt', 'show', 'resume', '--studies-dir', studies, '--json']))
  const completed = (study: ShowJson) => study.trialList.filter((t) => t.state === 'complete').map((t) => [t.number, t.loss])
  const run = (epochs: number, cwd: string, onStderr?: (text: string) => void, extra: string[] = []) => {
    let pid = 0
    const done = runCli(['hyperopt', 'run', '--strategy', 'SampleRsiStrategy', ...DATA, '--spaces', 'buy', '--epochs', String(epochs), '--study', 'resume', ...opts, ...extra], {
      cwd,
      onSpawn(child) {
        pid = child.pid!
        let text = ''
        child.stderr!.on('data', (chunk: Buffer) => onStderr?.((text += chunk.toString())))
      },
    })
    return {done, pid: () => pid}
  }

  it("Ctrl-C mid-study loses no completed trial and leaves no process; a killed run's RUNNING trials are failed on resume", async () => {
    // 1. Ctrl-C once a few epochs are done.
    const cwd = tempDir('tradai-sigint-')
    let stderr = ''
    const first = run(400, cwd, (text) => (stderr = text))
    expect(await waitFor(() => epochsDone(stderr, 400) >= 3, 150_000, 200)).toBe(true)
    process.kill(first.pid(), 'SIGINT')
    expect((await first.done).code).toBe(130)
    expect(await waitFor(() => processesIn(cwd).length === 0, 8000)).toBe(true)
    expect(existsSync(path.join(studies, 'resume.log.pid'))).toBe(false)
    const afterSigint = await show()
    expect(afterSigint.completedTrials).toBeGreaterThanOrEqual(3)
    expect(afterSigint.runningTrials).toBe(0) // the trial in flight was failed, not left hanging

    // 2. Continue it, then SIGKILL the whole tree mid-trial (a crash: no handler runs, the lock stays).
    const cwd2 = tempDir('tradai-kill-')
    stderr = ''
    const second = run(400, cwd2, (text) => (stderr = text))
    expect(await waitFor(() => epochsDone(stderr, 400) >= 1, 150_000, 100)).toBe(true)
    for (const pid of processesIn(cwd2)) if (pid !== second.pid()) process.kill(pid, 'SIGKILL')
    process.kill(second.pid(), 'SIGKILL')
    await second.done
    const afterKill = await show()
    expect(afterKill.completedTrials).toBeGreaterThan(afterSigint.completedTrials)
    expect(completed(afterKill)).toEqual(expect.arrayContaining(completed(afterSigint)))
    const orphans = afterKill.trialList.filter((t) => t.state === 'running').map((t) => t.number)

    // 3. The same --study continues: the stale lock is taken over, orphans failed, nothing lost.
    const third = await run(2, cwd2, undefined, ['--json']).done
    expect(third.code, third.stderr).toBe(0)
    expect(json<RunJson>(third)).toMatchObject({study: 'resume', epochs: 2, completedTrials: afterKill.completedTrials + 2, failedOrphans: orphans})
    const final = await show()
    expect(final.runningTrials).toBe(0)
    expect(completed(final)).toEqual(expect.arrayContaining(completed(afterKill)))
    expect(processesIn(cwd2)).toEqual([])
  })

  it('a live run holds the study: a second run on it is refused (exit 2)', async () => {
    writeFileSync(path.join(studies, 'resume.log.pid'), String(process.pid)) // this test process is alive
    try {
      const refused = await run(1, tempDir('tradai-lock-'), undefined, ['--json']).done
      expect(refused.code).toBe(2)
      expect(json<{error: {message: string}}>(refused).error.message).toContain(`being optimized by process ${process.pid}`)
    } finally {
      rmSync(path.join(studies, 'resume.log.pid'), {force: true})
    }
  })
})

describe('hyperopt run: multi-objective (NSGA-II)', () => {
  it('optimizes profit against drawdown and prints the Pareto front', async () => {
    const strategies = tempDir('tradai-strat-')
    cpSync(STRATEGIES, strategies, {recursive: true})
    const run = await runCli([
      'hyperopt',
      'run',
      '--strategy',
      'SampleRsiStrategy',
      ...DATA,
      '--spaces',
      'buy',
      '--objectives',
      'profit',
      'drawdown',
      '--epochs',
      '6',
      '--seed',
      '3',
      '--no-export',
      '--no-track',
      '--json',
      '--strategy-path',
      strategies,
      '--user-data-dir',
      fixtureUserData(),
      '--studies-dir',
      tempDir('tradai-studies-'),
    ])
    expect(run.code, run.stderr).toBe(0)
    const result = json<RunJson>(run)
    expect(result.paretoFront!.length).toBeGreaterThan(0)
    const front = result.paretoFront!
    for (const a of front) {
      expect(Object.keys(a.objectives)).toEqual(['profit', 'drawdown'])
      expect(a.objectives.profit).toBe(a.metrics.totalTrades > 0 ? a.metrics.profitTotal : a.objectives.profit)
      // No member of the front is dominated by another.
      for (const b of front) {
        const dominates =
          b.objectives.profit! >= a.objectives.profit! &&
          b.objectives.drawdown! <= a.objectives.drawdown! &&
          (b.objectives.profit! > a.objectives.profit! || b.objectives.drawdown! < a.objectives.drawdown!)
        expect(dominates).toBe(false)
      }
    }
  })
})
