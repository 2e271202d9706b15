import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {NotFoundError, TrackingError} from '../../src/core/errors.js'
import type {TrackingPort} from '../../src/core/ports/tracking.js'

export type PortFactory<P> = () => Promise<P> | P

/**
 * What every TrackingPort must do, as core relies on it. Run against the fake (unit project) and
 * against MlflowClient on a real MLflow server (e2e project): when they disagree, the fake lies.
 */
export function trackingPortContract(label: string, factory: PortFactory<TrackingPort>): void {
  const unique = (what: string) => `${what}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`

  describe(`TrackingPort contract: ${label}`, () => {
    it('ensureExperiment creates once and then returns the same id', async () => {
      const port = await factory()
      const name = unique('exp')
      const id = await port.ensureExperiment(name)
      expect(id).toMatch(/\S/)
      expect(await port.ensureExperiment(name)).toBe(id)
      expect(await port.ensureExperiment(unique('other'))).not.toBe(id)
    })

    it('a run holds its create tags, logged params, metrics and tags; repeating a batch changes nothing', async () => {
      const port = await factory()
      const experimentId = await port.ensureExperiment(unique('exp'))
      const run = await port.createRun({experimentId, runName: 'contract run', startTime: 1_700_000_000_000, tags: [{key: 'tradai.client_run_id', value: 'c-1'}]})
      expect(run.info.experiment_id).toBe(experimentId)
      expect(run.info.status).toBe('RUNNING')
      expect(run.info.artifact_uri).toContain(run.info.run_id)
      const batch = {
        params: [{key: 'strategy', value: 'Sample'}],
        metrics: [
          {key: 'profit', value: 0.5, timestamp: 1_700_000_000_000, step: 0},
          {key: 'equity', value: 1, timestamp: 1_700_000_000_000, step: 0},
          {key: 'equity', value: 2, timestamp: 1_700_000_000_001, step: 1},
        ],
        tags: [{key: 'tradai.kind', value: 'backtest'}],
      }
      await port.logBatch(run.info.run_id, batch)
      await port.logBatch(run.info.run_id, batch)
      const read = await port.getRun(run.info.run_id)
      const tags = Object.fromEntries((read.data.tags ?? []).map((tag) => [tag.key, tag.value]))
      expect(tags['tradai.client_run_id']).toBe('c-1')
      expect(tags['tradai.kind']).toBe('backtest')
      expect(read.data.params).toEqual([{key: 'strategy', value: 'Sample'}])
      const metrics = Object.fromEntries((read.data.metrics ?? []).map((metric) => [metric.key, metric.value]))
      expect(metrics).toEqual({profit: 0.5, equity: 2})
    })

    it('a param logged again with another value is refused with a TrackingError', async () => {
      const port = await factory()
      const experimentId = await port.ensureExperiment(unique('exp'))
      const run = await port.createRun({experimentId, startTime: Date.now(), tags: []})
      await port.logBatch(run.info.run_id, {params: [{key: 'p', value: '1'}], metrics: [], tags: []})
      const error = await port.logBatch(run.info.run_id, {params: [{key: 'p', value: '2'}], metrics: [], tags: []}).catch((error_: unknown) => error_)
      expect(error).toBeInstanceOf(TrackingError)
    })

    it('searchRuns finds a run by a tag filter, within the experiment', async () => {
      const port = await factory()
      const experimentId = await port.ensureExperiment(unique('exp'))
      const other = await port.ensureExperiment(unique('exp'))
      const id = unique('client')
      const run = await port.createRun({experimentId, startTime: Date.now(), tags: [{key: 'tradai.client_run_id', value: id}]})
      await port.createRun({experimentId, startTime: Date.now(), tags: [{key: 'tradai.client_run_id', value: `${id}-not`}]})
      const found = await port.searchRuns({experimentIds: [experimentId], filter: `tags.\`tradai.client_run_id\` = '${id}'`, maxResults: 2})
      expect(found.map((entry) => entry.info.run_id)).toEqual([run.info.run_id])
      expect(await port.searchRuns({experimentIds: [other], filter: `tags.\`tradai.client_run_id\` = '${id}'`})).toEqual([])
    })

    it('uploads an artifact (repeating overwrites) and finishes the run', async () => {
      const port = await factory()
      const experimentId = await port.ensureExperiment(unique('exp'))
      const run = await port.createRun({experimentId, startTime: 1_700_000_000_000, tags: []})
      const file = path.join(mkdtempSync(path.join(tmpdir(), 'tradai-contract-')), 'report.json')
      writeFileSync(file, '{"a":1}\n')
      await port.uploadArtifact(run.info, 'report/report.json', file)
      await port.uploadArtifact(run.info, 'report/report.json', file)
      const info = await port.updateRun(run.info.run_id, 'FINISHED', 1_700_000_001_000)
      expect(info.status).toBe('FINISHED')
      expect(info.end_time).toBe(1_700_000_001_000)
      expect((await port.getRun(run.info.run_id)).info.status).toBe('FINISHED')
    })

    it('an unknown run is a NotFoundError', async () => {
      const port = await factory()
      await expect(port.getRun('0123456789abcdef0123456789abcdef')).rejects.toBeInstanceOf(NotFoundError)
    })

    it('runUrl points at the run on the tracker', async () => {
      const port = await factory()
      expect(port.runUrl('7', 'abc')).toContain('abc')
      expect(port.runUrl('7', 'abc').startsWith(port.uri)).toBe(true)
    })
  })
}
