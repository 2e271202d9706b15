import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {BugError, UsageError} from '../../src/core/errors.js'
import type {CoreContext} from '../../src/core/events.js'
import type {EnginePort, RequestOf} from '../../src/core/ports/engine.js'
import type {PortFactory} from './tracking.contract.js'

/**
 * What every EnginePort must do, as core relies on it: answer an operation with a result that
 * matches the bridge contract, refuse an off-contract request before running anything (a tradai
 * bug), and map an engine error to tradai's error types. Run against FakeEngine (unit) and
 * PythonBridge on the real engine (e2e).
 */
export function enginePortContract(label: string, factory: PortFactory<EnginePort>): void {
  const ctx = (): CoreContext => ({signal: new AbortController().signal, onEvent: () => {}})

  describe(`EnginePort contract: ${label}`, () => {
    it('versions names the interpreter and the pinned packages', async () => {
      const engine = await factory()
      const versions = await engine.run('versions', {}, ctx())
      expect(versions.pythonVersion).toMatch(/^3\.\d+/)
      expect(versions.packages.freqtrade).toMatch(/^\d{4}\.\d+/)
      expect(versions.packages.optuna).toMatch(/^\d+\./)
    })

    it('data-list of an empty user-data folder lists no files', async () => {
      const engine = await factory()
      const dir = mkdtempSync(path.join(tmpdir(), 'tradai-engine-contract-'))
      const listed = await engine.run('data-list', {userDataDir: dir, exchange: 'binance'}, ctx())
      expect(listed.files).toEqual([])
      expect(listed.dataDir).toContain(dir)
    })

    it('a request off the contract is a BugError, raised before the engine runs', async () => {
      const engine = await factory()
      const request = {userDataDir: '/tmp', exchnage: 'binance'} as unknown as RequestOf<'data-list'>
      await expect(engine.run('data-list', request, ctx())).rejects.toBeInstanceOf(BugError)
    })

    it("the engine's USAGE error arrives as a UsageError naming the bad value", async () => {
      const engine = await factory()
      const dir = mkdtempSync(path.join(tmpdir(), 'tradai-engine-contract-'))
      const missing = path.join(dir, 'missing.csv')
      const error = await engine.run('data-import', {userDataDir: dir, exchange: 'binance', paths: [missing]}, ctx()).catch((error_: unknown) => error_)
      expect(error).toBeInstanceOf(UsageError)
      expect((error as Error).message).toContain('missing.csv')
    })
  })
}
