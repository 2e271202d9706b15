import {spawnSync} from 'node:child_process'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {enginePython} from '../helpers/engine-python.js'
import {ENGINE_PYTHON, REPO, tempDir} from '../helpers/paths.js'

/** One bridge call the way PythonBridge makes it; returns the NDJSON events. */
function bridge(operation: string, request: unknown): Array<Record<string, unknown>> {
  const run = spawnSync(ENGINE_PYTHON, ['-m', 'tradai_engine', operation], {
    cwd: REPO,
    env: {...process.env, PYTHONPATH: path.join(REPO, 'python')},
    input: JSON.stringify(request),
    encoding: 'utf8',
  })
  return run.stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
}

describe('the Python side of the bridge contract (the engine venv, jsonschema)', () => {
  it('every schema in contract/schema.json is valid JSON Schema 2020-12 for the engine', () => {
    const out = enginePython(`import json
from jsonschema import Draft202012Validator
from tradai_engine import contract
from tradai_engine.__main__ import OPERATIONS
ops = contract.operations()
for name in ops:
    for part in ("request", "result"):
        Draft202012Validator.check_schema(ops[name][part])
print(json.dumps({"schema": sorted(ops), "dispatch": sorted(OPERATIONS)}))`)
    const {schema, dispatch} = JSON.parse(out) as {schema: string[]; dispatch: string[]}
    expect(schema).toEqual(dispatch)
  })

  it('refuses a request with a field the contract does not declare (CONTRACT, naming it)', () => {
    const events = bridge('data-markets', {userDataDir: tempDir(), exchange: 'binance', exchang: 'kraken'})
    expect(events).toEqual([expect.objectContaining({event: 'error', code: 'CONTRACT', message: expect.stringMatching(/'exchang' was unexpected/)})])
  })

  it('refuses a request missing a required field or with a wrong type', () => {
    expect(bridge('data-markets', {userDataDir: tempDir()})[0]).toMatchObject({code: 'CONTRACT', message: expect.stringMatching(/'exchange' is a required property/)})
    expect(bridge('strategy-list', {strategyPath: 7})[0]).toMatchObject({code: 'CONTRACT', message: expect.stringMatching(/strategyPath: 7 is not of type 'string'/)})
  })

  it('checks its own results: a drifted result is refused before it leaves the engine', () => {
    const out = enginePython(`import json
from tradai_engine import contract
from tradai_engine.protocol import BridgeError
contract.check_result("data-markets", {"file": "/m.json", "count": 1, "extra": 1})
try:
    contract.check_result("data-markets", {"path": "/m.json", "count": 1})
    print(json.dumps(None))
except BridgeError as exc:
    print(json.dumps({"code": exc.code, "message": exc.message}))`)
    expect(JSON.parse(out)).toMatchObject({code: 'CONTRACT', message: expect.stringMatching(/'file' is a required property/)})
  })

  it('a real operation passes both checks', () => {
    const events = bridge('versions', {})
    expect(events.at(-1)).toMatchObject({event: 'result', data: {packages: expect.objectContaining({freqtrade: expect.any(String)})}})
  })
})
