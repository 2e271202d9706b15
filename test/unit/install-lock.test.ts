import {existsSync, mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import type {CoreContext} from '../../src/core/events.js'
import {installOnce} from '../../src/engines/python/install-lock.js'

const ctx = (): CoreContext => ({signal: new AbortController().signal, onEvent: () => {}})

describe('installOnce: one install of an environment at a time', () => {
  it('a second caller waits for the first and does not install again once it is ready', async () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'tradai-install-lock-')), 'arctic')
    let installed = false
    const installs: string[] = []
    const install = (who: string) => async () => {
      installs.push(`${who} start`)
      expect(existsSync(`${dir}.installing`)).toBe(true)
      await new Promise((resolve) => setTimeout(resolve, 300))
      installed = true
      installs.push(`${who} done`)
    }
    await Promise.all([installOnce(dir, () => installed, install('first'), ctx()), installOnce(dir, () => installed, install('second'), ctx())])
    expect(installs).toEqual(['first start', 'first done'])
    expect(existsSync(`${dir}.installing`)).toBe(false)
  })

  it("a lock left by a process that is gone is taken over; the installer's failure releases the lock", async () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'tradai-install-lock-')), 'arctic')
    writeFileSync(`${dir}.installing`, '999999999') // no such process
    const failing = installOnce(
      dir,
      () => false,
      async () => Promise.reject(new Error('PyPI is down')),
      ctx(),
    )
    await expect(failing).rejects.toThrow('PyPI is down')
    expect(existsSync(`${dir}.installing`)).toBe(false)
  })
})
