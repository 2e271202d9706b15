import {createHash} from 'node:crypto'
import {mkdirSync, statSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {pythonEnvHash, reusableStrategyList, snapshotFile} from '../../src/engines/python/strategy-list-snapshot.js'
import {tempDir} from '../helpers/paths.js'

const RESULT = {strategies: [{name: 'A'}]}
const LOGS = [{level: 'warning', message: 'a.py:1: SyntaxError'}]

/** A venv folder holding a snapshot of one request, written the way strategy_list_snapshot.save writes it. */
function setup(): {engineDir: string; cwd: string; file: string; write: (overrides?: Record<string, unknown>, sha256?: string) => void} {
  const root = tempDir('tradai-snapshot-')
  const engineDir = path.join(root, 'venv')
  const cwd = path.join(root, 'work')
  const file = path.join(cwd, 'strategies', 'a.py')
  mkdirSync(path.dirname(file), {recursive: true})
  mkdirSync(path.join(engineDir, 'tradai-cache'), {recursive: true})
  writeFileSync(file, 'class A: pass\n')
  const write = (overrides: Record<string, unknown> = {}, sha256 = createHash('sha256').update('class A: pass\n').digest('hex')) => {
    const stat = statSync(file, {bigint: true})
    const folder = statSync(path.dirname(file), {bigint: true})
    const request = {
      strategyPath: 'strategies',
      cwd,
      pythonEnv: pythonEnvHash({PYTHONPATH: '/x'}),
      inputs: [
        {path: file, stat: [String(stat.size), String(stat.mtimeNs)], sha256},
        {path: path.dirname(file), stat: [String(folder.size), String(folder.mtimeNs)]},
        {path: path.join(root, 'missing'), stat: null},
      ],
      result: RESULT,
      logs: LOGS,
      ...overrides,
    }
    writeFileSync(snapshotFile(engineDir), JSON.stringify({version: 1, requests: [request]}))
  }

  return {engineDir, cwd, file, write}
}

describe('strategy list snapshot (strategy-list-snapshot.ts)', () => {
  it('the same request with every recorded input unchanged: the recorded answer and logs', () => {
    const {engineDir, cwd, write} = setup()
    write()
    expect(reusableStrategyList(engineDir, 'strategies', cwd, {PYTHONPATH: '/x'})).toEqual({result: RESULT, logs: LOGS})
  })

  it('another strategy path, working folder or PYTHON* environment is a miss', () => {
    const {engineDir, cwd, write} = setup()
    write()
    expect(reusableStrategyList(engineDir, './strategies', cwd, {PYTHONPATH: '/x'})).toBeUndefined()
    expect(reusableStrategyList(engineDir, 'strategies', path.dirname(cwd), {PYTHONPATH: '/x'})).toBeUndefined()
    expect(reusableStrategyList(engineDir, 'strategies', cwd, {PYTHONPATH: '/x', PYTHONHOME: '/y'})).toBeUndefined()
    // Other variables do not decide sys.path (TRADAI_ENGINE_PARENT_PID changes every run).
    expect(reusableStrategyList(engineDir, 'strategies', cwd, {PYTHONPATH: '/x', TRADAI_ENGINE_PARENT_PID: '1'})).toBeDefined()
  })

  it('a changed size or mtime, a content whose sha256 differs, an input that appeared: each is a miss', () => {
    const {engineDir, cwd, file, write} = setup()
    write({}, 'f'.repeat(64)) // same stat, other content (an edit that restored size and mtime)
    expect(reusableStrategyList(engineDir, 'strategies', cwd, {PYTHONPATH: '/x'})).toBeUndefined()
    write()
    writeFileSync(file, 'class B: pass\n')
    expect(reusableStrategyList(engineDir, 'strategies', cwd, {PYTHONPATH: '/x'})).toBeUndefined()
    write({}, createHash('sha256').update('class B: pass\n').digest('hex'))
    writeFileSync(path.join(path.dirname(cwd), 'missing'), '')
    expect(reusableStrategyList(engineDir, 'strategies', cwd, {PYTHONPATH: '/x'})).toBeUndefined()
  })

  it('no snapshot, another format version, or a file that is not JSON: a miss, never an error', () => {
    const {engineDir, cwd, write} = setup()
    expect(reusableStrategyList(engineDir, 'strategies', cwd, {})).toBeUndefined()
    write()
    writeFileSync(snapshotFile(engineDir), JSON.stringify({version: 2, requests: []}))
    expect(reusableStrategyList(engineDir, 'strategies', cwd, {PYTHONPATH: '/x'})).toBeUndefined()
    writeFileSync(snapshotFile(engineDir), '{not json')
    expect(reusableStrategyList(engineDir, 'strategies', cwd, {PYTHONPATH: '/x'})).toBeUndefined()
  })
})

describe('pythonEnvHash', () => {
  it('is strategy_list_snapshot.python_env_hash (python/tests/test_strategy_list_snapshot.py pins the same value)', () => {
    expect(pythonEnvHash({PYTHONPATH: '/x:/y', PYTHONHOME: '/é', HOME: '/root'})).toBe('9809b4b14a868d01531ffa497d9daffa579860b4ad7df02a21db9fcd7a516c60')
  })
})
