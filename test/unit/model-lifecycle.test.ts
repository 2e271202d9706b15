import {describe, expect, it} from 'vitest'

import type {CoreContext} from '../../src/core/events.js'
import type {ModelVersion, RegisteredModel, RegistryPort} from '../../src/core/ports/registry.js'
import {VERSION_TAG} from '../../src/core/registry/tags.js'
import {listModels, showModel} from '../../src/core/tracking/models.js'

const ctx: CoreContext = {signal: new AbortController().signal, onEvent() {}}

/** Just the registry reads `model list/show` make, over versions tagged the way register/promote tag them. */
function registryWith(versions: ModelVersion[]): RegistryPort {
  const model: RegisteredModel = {name: 'Rsi', aliases: [{alias: 'production', version: '1'}]}
  const reads: Partial<RegistryPort> = {
    uri: 'http://127.0.0.1:5000',
    searchRegisteredModels: async () => [model],
    getRegisteredModel: async () => model,
    searchModelVersions: async () => versions,
    getModelVersion: async (_name, version) => versions.find((v) => v.version === version)!,
  }
  return reads as RegistryPort
}

const tagged = (version: string, state: string): ModelVersion => ({name: 'Rsi', version, tags: [{key: VERSION_TAG.state, value: state}]})

describe('model list / show read the lifecycle state the registry writes', () => {
  it("shows each version's tradai.state and the newest version's as the model's", async () => {
    const {models} = await listModels(registryWith([tagged('1', 'promoted'), tagged('2', 'staged'), tagged('3', 'registered')]), ctx)
    expect(models[0]!.versions.map((v) => [v.version, v.lifecycle])).toEqual([
      ['3', 'registered'],
      ['2', 'staged'],
      ['1', 'promoted'],
    ])
    expect(models[0]!.lifecycle).toBe('registered')
  })

  it('show of one version reads the same tag; untagged versions have none', async () => {
    const port = registryWith([tagged('1', 'promoted'), {name: 'Rsi', version: '2'}])
    expect((await showModel(port, 'Rsi', '1', ctx)).versions[0]).toMatchObject({version: '1', lifecycle: 'promoted', aliases: ['production']})
    expect((await showModel(port, 'Rsi', '2', ctx)).versions[0]!.lifecycle).toBeNull()
  })
})
