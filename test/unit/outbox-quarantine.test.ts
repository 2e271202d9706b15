import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {listOutbox, listQuarantine, queueRun} from '../../src/core/tracking/outbox.js'
import type {TrackingPort} from '../../src/core/tracking/port.js'
import {syncOutbox} from '../../src/core/tracking/sync.js'
import {tempDir} from '../helpers/paths.js'

/** A tracking server that takes every call (fake: only the outbox's own logic is under test here). */
function fakePort(): TrackingPort & {created: string[]} {
  const created: string[] = []
  const info = (runId: string) => ({run_id: runId, experiment_id: '1', artifact_uri: 'mlflow-artifacts:/1/x/artifacts', status: 'RUNNING', lifecycle_stage: 'active'})
  return {
    created,
    uri: 'http://fake',
    runUrl: (experimentId: string, runId: string) => `http://fake/#/experiments/${experimentId}/runs/${runId}`,
    ensureExperiment: async () => '1',
    searchRuns: async () => [],
    createRun: async (request: {tags: Array<{value: string}>}) => {
      created.push(request.tags[0]!.value)
      return {info: info(`run${created.length}`), data: {}}
    },
    getRun: async (runId: string) => ({info: info(runId), data: {}}),
    logBatch: async () => {},
    uploadArtifact: async () => {},
    updateRun: async (runId: string) => info(runId),
  } as unknown as TrackingPort & {created: string[]}
}

describe('outbox quarantine', () => {
  it('moves a corrupt entry to quarantine/ with the reason, reports it once, and syncs the rest (no error)', async () => {
    const outbox = tempDir('tradai-outbox-q-')
    await queueRun(
      outbox,
      {format: 1, clientRunId: 'bt-2-good', experimentName: 'e', runName: 'r', user: 'u', startTime: 1, endTime: 2, params: [], metrics: [], tags: [], artifacts: []},
      {artifacts: []},
    )
    mkdirSync(path.join(outbox, 'bt-1-corrupt'))
    writeFileSync(path.join(outbox, 'bt-1-corrupt', 'run.json'), '{"format": 1, "clientRunId": ')
    const port = fakePort()
    const events: string[] = []
    const first = await syncOutbox(outbox, port, {signal: new AbortController().signal, onEvent: (event) => event.type === 'log' && events.push(event.message)})
    expect(first.synced.map((run) => run.clientRunId)).toEqual(['bt-2-good'])
    expect(first.failed).toEqual([])
    expect(first.quarantined).toEqual([expect.objectContaining({id: 'bt-1-corrupt', reason: expect.stringMatching(/bt-1-corrupt is unreadable/)})])
    expect(events.join('\n')).toMatch(/moved to .*quarantine/)
    expect(existsSync(path.join(outbox, 'quarantine', 'bt-1-corrupt', 'run.json'))).toBe(true)
    expect(JSON.parse(readFileSync(path.join(outbox, 'quarantine', 'bt-1-corrupt', 'quarantine.json'), 'utf8'))).toMatchObject({reason: expect.stringMatching(/unreadable/)})
    expect(await listOutbox(outbox)).toEqual([])
    expect(await listQuarantine(outbox)).toEqual([expect.objectContaining({id: 'bt-1-corrupt'})])

    const second = await syncOutbox(outbox, port, {signal: new AbortController().signal, onEvent: () => {}})
    expect(second).toMatchObject({synced: [], failed: [], quarantined: [], remaining: 0})
  })
})
