import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {NotFoundError} from '../../src/core/errors.js'
import type {RegistryPort} from '../../src/core/ports/registry.js'
import type {PortFactory} from './tracking.contract.js'

/**
 * What every RegistryPort must do, as core (register, challenge, promote, model list/show, the
 * registry lock) relies on it. Run against the fake and against MlflowClient on a real server.
 */
export function registryPortContract(label: string, factory: PortFactory<RegistryPort>): void {
  const unique = (what: string) => `${what}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`
  const tags = (list?: Array<{key: string; value: string}>) => Object.fromEntries((list ?? []).map((tag) => [tag.key, tag.value]))

  async function withRun(port: RegistryPort) {
    const experimentId = await port.ensureExperiment(unique('exp'))
    return port.createRun({experimentId, startTime: Date.now(), tags: []})
  }

  describe(`RegistryPort contract: ${label}`, () => {
    it('ensureRegisteredModel creates with tags once; getRegisteredModel reads it; an unknown model is NotFoundError', async () => {
      const port = await factory()
      const name = unique('Model')
      const model = await port.ensureRegisteredModel(name, {description: 'd', tags: [{key: 'tradai.strategy', value: name}]})
      expect(model.name).toBe(name)
      await port.ensureRegisteredModel(name, {tags: [{key: 'tradai.strategy', value: 'other'}]})
      expect(tags((await port.getRegisteredModel(name)).tags)['tradai.strategy']).toBe(name)
      await expect(port.getRegisteredModel(unique('Missing'))).rejects.toBeInstanceOf(NotFoundError)
      expect((await port.searchRegisteredModels()).map((entry) => entry.name)).toContain(name)
    })

    it('versions number from 1 with their tags, source and run; search by name; delete', async () => {
      const port = await factory()
      const name = unique('Model')
      await port.ensureRegisteredModel(name)
      const run = await withRun(port)
      const source = `${run.info.artifact_uri}/strategy`
      const v1 = await port.createModelVersion({name, source, runId: run.info.run_id, tags: [{key: 'tradai.state', value: 'registered'}]})
      const v2 = await port.createModelVersion({name, source, runId: run.info.run_id})
      expect([v1.version, v2.version]).toEqual(['1', '2'])
      const read = await port.getModelVersion(name, '1')
      expect(read.run_id).toBe(run.info.run_id)
      expect(read.source).toBe(source)
      expect(tags(read.tags)['tradai.state']).toBe('registered')
      const listed = await port.searchModelVersions(`name='${name}'`)
      expect(listed.map((version) => version.version).sort()).toEqual(['1', '2'])
      await port.deleteModelVersion(name, '2')
      expect((await port.searchModelVersions(`name='${name}'`)).map((version) => version.version)).toEqual(['1'])
      await expect(port.getModelVersion(name, '2')).rejects.toBeInstanceOf(NotFoundError)
    })

    it('aliases move between versions and show on the model and the version; deleting one removes it', async () => {
      const port = await factory()
      const name = unique('Model')
      await port.ensureRegisteredModel(name)
      const run = await withRun(port)
      await port.createModelVersion({name, source: `${run.info.artifact_uri}/strategy`, runId: run.info.run_id})
      await port.createModelVersion({name, source: `${run.info.artifact_uri}/strategy`, runId: run.info.run_id})
      await port.setModelAlias(name, 'staging', '1')
      await port.setModelAlias(name, 'production', '1')
      await port.setModelAlias(name, 'staging', '2')
      const aliases = Object.fromEntries(((await port.getRegisteredModel(name)).aliases ?? []).map((entry) => [entry.alias, entry.version]))
      expect(aliases).toEqual({staging: '2', production: '1'})
      expect((await port.getModelVersion(name, '2')).aliases).toEqual(['staging'])
      await port.deleteModelAlias(name, 'staging')
      expect(((await port.getRegisteredModel(name)).aliases ?? []).map((entry) => entry.alias)).toEqual(['production'])
    })

    it('model tags and version tags are set, overwritten and (model tags) deleted', async () => {
      const port = await factory()
      const name = unique('Model')
      await port.ensureRegisteredModel(name)
      const run = await withRun(port)
      await port.createModelVersion({name, source: `${run.info.artifact_uri}/strategy`, runId: run.info.run_id, tags: [{key: 'tradai.state', value: 'registered'}]})
      await port.setRegisteredModelTag(name, 'tradai.lock', '{"token":"a"}')
      await port.setRegisteredModelTag(name, 'tradai.lock', '{"token":"b"}')
      expect(tags((await port.getRegisteredModel(name)).tags)['tradai.lock']).toBe('{"token":"b"}')
      await port.deleteRegisteredModelTag(name, 'tradai.lock')
      expect(tags((await port.getRegisteredModel(name)).tags)['tradai.lock']).toBeUndefined()
      await port.setModelVersionTag(name, '1', 'tradai.state', 'staged')
      expect(tags((await port.getModelVersion(name, '1')).tags)['tradai.state']).toBe('staged')
    })

    it("lists and downloads a run's artifacts by folder", async () => {
      const port = await factory()
      const run = await withRun(port)
      const dir = mkdtempSync(path.join(tmpdir(), 'tradai-contract-'))
      writeFileSync(path.join(dir, 'a.py'), 'print(1)\n')
      writeFileSync(path.join(dir, 'b.json'), '{}\n')
      await port.uploadArtifact(run.info, 'strategy/a.py', path.join(dir, 'a.py'))
      await port.uploadArtifact(run.info, 'strategy/params/b.json', path.join(dir, 'b.json'))
      const top = await port.listArtifacts(run.info)
      expect(top.map((file) => [file.path, file.is_dir])).toEqual([['strategy', true]])
      const inside = await port.listArtifacts(run.info, 'strategy')
      expect(inside.map((file) => [file.path, file.is_dir]).sort()).toEqual([
        ['strategy/a.py', false],
        ['strategy/params', true],
      ])
      expect(inside.find((file) => file.path === 'strategy/a.py')?.file_size).toBe(9)
      expect((await port.downloadArtifact(run.info, 'strategy/a.py')).toString()).toBe('print(1)\n')
    })
  })
}
