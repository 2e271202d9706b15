import {describe, expect, it} from 'vitest'

import {InterruptedError, UsageError} from '../../src/core/errors.js'
import {JobManager} from '../../src/server/jobs/job-manager.js'
import {JobStore, type JobRecord} from '../../src/server/jobs/job-store.js'
import {tempDir} from '../helpers/paths.js'

const settle = async (manager: JobManager, id: string) => {
  for (;;) {
    const record = await manager.get(id)
    if (record && ['succeeded', 'failed', 'cancelled'].includes(record.status)) return record
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

/** The job pool on fake work (the real engine runs in test/e2e/serve*.test.ts). */
describe('JobManager', () => {
  it('never runs more than maxConcurrent at once, runs the rest in order, loses none', async () => {
    const manager = new JobManager(new JobStore(tempDir('tradai-jobs-')), 2)
    await manager.init()
    let running = 0
    let peak = 0
    const started: number[] = []
    const ids = Array.from(
      {length: 7},
      (_, index) =>
        manager.submit('fake', {index}, async () => {
          started.push(index)
          running += 1
          peak = Math.max(peak, running)
          await new Promise((resolve) => setTimeout(resolve, 10))
          running -= 1
          return {result: {index}}
        }).id,
    )
    const records = await Promise.all(ids.map((id) => settle(manager, id)))
    expect(peak).toBe(2)
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6])
    expect(records.map((record) => record.result)).toEqual(ids.map((_, index) => ({index})))
  })

  it('a failed check keeps its result; an error is the CLI error document', async () => {
    const manager = new JobManager(new JobStore(tempDir('tradai-jobs-')), 1)
    await manager.init()
    const check = manager.submit('fake', {}, async () => ({result: {passed: false}, error: new UsageError('bad')}))
    const thrown = manager.submit('fake', {}, async () => {
      throw new Error('boom')
    })
    expect(await settle(manager, check.id)).toMatchObject({status: 'failed', result: {passed: false}, error: {code: 'USAGE', exitCode: 2}})
    const bug = await settle(manager, thrown.id)
    expect(bug).toMatchObject({status: 'failed', error: {code: 'INTERNAL', exitCode: 70}})
    expect(JSON.stringify(bug)).not.toMatch(/\n\s+at /)
  })

  it('cancel aborts the running work through its signal; a queued job never starts', async () => {
    const manager = new JobManager(new JobStore(tempDir('tradai-jobs-')), 1)
    await manager.init()
    let sawAbort = false
    let queuedRan = false
    const running = manager.submit(
      'fake',
      {},
      (ctx) =>
        new Promise((_, reject) => {
          ctx.signal.addEventListener('abort', () => {
            sawAbort = true
            reject(ctx.signal.reason)
          })
        }),
    )
    const queued = manager.submit('fake', {}, async () => {
      queuedRan = true
      return {result: null}
    })
    expect((await manager.cancel(queued.id))?.record.status).toBe('cancelled')
    expect((await manager.cancel(running.id))?.record).toMatchObject({status: 'cancelled', error: {code: 'CANCELLED'}})
    expect(sawAbort).toBe(true)
    expect(queuedRan).toBe(false)
    expect((await manager.cancel(running.id))?.cancelled).toBe(false)
  })

  it('a restart marks jobs a crashed server left queued or running as failed, and keeps finished ones', async () => {
    const dir = tempDir('tradai-jobs-')
    const store = new JobStore(dir)
    await store.init()
    const base = {kind: 'backtest', createdAt: '2026-01-01T00:00:00.000Z', startedAt: null, finishedAt: null, request: {}}
    const records: JobRecord[] = [
      {...base, id: 'job-20260101-000000-00000001', status: 'succeeded', finishedAt: '2026-01-01T00:01:00.000Z', result: {ok: 1}},
      {...base, id: 'job-20260101-000000-00000002', status: 'running', startedAt: '2026-01-01T00:00:01.000Z'},
      {...base, id: 'job-20260101-000000-00000003', status: 'queued'},
    ]
    for (const record of records) await store.save(record)
    const manager = new JobManager(new JobStore(dir), 1)
    expect(await manager.init()).toEqual({restored: 3, interrupted: 2})
    expect(await manager.get(records[0]!.id)).toMatchObject({status: 'succeeded', result: {ok: 1}})
    for (const record of records.slice(1)) {
      const after = await manager.get(record.id)
      expect(after).toMatchObject({status: 'failed', error: {code: 'INTERRUPTED'}})
      expect(after?.error?.message).toContain(`was ${record.status}`)
      expect(after?.finishedAt).not.toBeNull()
    }
  })

  it('shutdown stops running work after the grace period and refuses new jobs', async () => {
    const manager = new JobManager(new JobStore(tempDir('tradai-jobs-')), 1)
    await manager.init()
    const job = manager.submit('fake', {}, (ctx) => new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason))))
    await new Promise((resolve) => setTimeout(resolve, 10))
    expect(await manager.shutdown(20, 'SIGTERM')).toEqual({stopped: 1})
    expect(await manager.get(job.id)).toMatchObject({status: 'failed', error: {code: 'INTERRUPTED', exitCode: 143}})
    expect(() => manager.submit('fake', {}, async () => ({result: null}))).toThrow(/shutting down/)
    expect(new InterruptedError('SIGTERM').exitCode).toBe(143)
  })
})
