import {chmodSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {ExitCode} from '../../src/core/errors.js'
import type {CoreContext} from '../../src/core/events.js'
import {ENGINE_OPERATIONS, OPERATION_NAMES} from '../../src/core/ports/engine-contract/index.js'
import {contractJsonSchema} from '../../src/core/ports/engine-contract/json-schema.js'
import {operationContract} from '../../src/core/ports/engine-contract/one-operation.js'
import {PythonBridge} from '../../src/engines/python/bridge.js'
import {REPO, tempDir} from '../helpers/paths.js'

const SCHEMA_FILE = path.join(REPO, 'python/tradai_engine/contract/schema.json')
const ctx: CoreContext = {signal: new AbortController().signal, onEvent() {}}

/** A stand-in "python" that answers every operation with `answer` (a result event): the TS boundary alone. */
function fakeEngine(answer: unknown): PythonBridge {
  const dir = tempDir('tradai-fake-engine-')
  const python = path.join(dir, 'python')
  writeFileSync(python, `#!/bin/sh\ncat >/dev/null\nprintf '%s\\n' '${JSON.stringify({event: 'result', data: answer})}'\n`)
  chmodSync(python, 0o755)
  return new PythonBridge({dir, python, stampFile: path.join(dir, 'stamp.json')}, {}, dir)
}

describe('the bridge contract', () => {
  it('the committed JSON Schema the Python side reads is exactly what the TS contract exports (run `npm run contract`)', () => {
    expect(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'))).toEqual(contractJsonSchema())
  })

  it('declares exactly the operations the Python entry point dispatches', () => {
    const main = readFileSync(path.join(REPO, 'python/tradai_engine/__main__.py'), 'utf8')
    const table = /OPERATIONS = \{([\s\S]*?)\n\}/.exec(main)?.[1] ?? ''
    const python = [...table.matchAll(/^\s*"([a-z-]+)":/gm)].map((match) => match[1])
    expect(python.length).toBeGreaterThan(0)
    expect([...python].sort()).toEqual([...OPERATION_NAMES].sort())
  })

  it('every request and result schema is an object schema with declared properties', () => {
    const {operations} = contractJsonSchema() as {operations: Record<string, {request: {type?: string; anyOf?: unknown[]}; result: {type?: string; anyOf?: unknown[]}}>}
    for (const [name, op] of Object.entries(operations)) {
      expect(op.request.type ?? (op.request.anyOf ? 'union' : undefined), name).toMatch(/object|union/)
      expect(op.result.type ?? (op.result.anyOf ? 'union' : undefined), name).toMatch(/object|union/)
    }
  })

  it('the bridge imports one operation at a time: the same schemas as the whole contract, for every operation', async () => {
    for (const name of OPERATION_NAMES) {
      const one = await operationContract(name)
      expect(one.request, name).toBe(ENGINE_OPERATIONS[name].request)
      expect(one.result, name).toBe(ENGINE_OPERATIONS[name].result)
    }
  })

  it('requests are closed: a field the engine does not know is refused on the TS side too', () => {
    expect(ENGINE_OPERATIONS['data-markets'].request.safeParse({userDataDir: '/x', exchange: 'binance'}).success).toBe(true)
    expect(ENGINE_OPERATIONS['data-markets'].request.safeParse({userDataDir: '/x', exchange: 'binance', exchang: 'kraken'}).success).toBe(false)
  })
})

describe('PythonBridge checks both ends against the contract', () => {
  it('returns a result that matches, extra fields kept', async () => {
    const answer = {file: '/u/markets/binance.json', count: 3, extra: true}
    await expect(fakeEngine(answer).run('data-markets', {userDataDir: '/u', exchange: 'binance'}, ctx)).resolves.toEqual(answer)
  })

  it('refuses a result with a missing or renamed field (exit 3, naming the field)', async () => {
    const run = fakeEngine({path: '/u/markets/binance.json', count: 3}).run('data-markets', {userDataDir: '/u', exchange: 'binance'}, ctx)
    await expect(run).rejects.toMatchObject({code: 'ENGINE_CONTRACT', exitCode: ExitCode.engine, message: expect.stringMatching(/"data-markets" result .*file/)})
  })

  it('refuses to send a request the contract does not allow (a bug: exit 70), before the engine starts', async () => {
    // The fake would answer; the refusal must come first.
    const bad = {userDataDir: '/u'} as unknown as {userDataDir: string; exchange: string}
    await expect(fakeEngine({file: 'x', count: 1}).run('data-markets', bad, ctx)).rejects.toMatchObject({exitCode: ExitCode.internal, message: expect.stringMatching(/exchange/)})
  })
})
