import {mkdirSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {ExitCode, TradaiError} from '../../src/core/errors.js'
import {lintPassed, summarize} from '../../src/core/lint/outcome.js'
import {splitTargets} from '../../src/core/lint/targets.js'
import type {LintFinding} from '../../src/core/lint/types.js'
import {tempDir} from '../helpers/paths.js'

const finding = (severity: LintFinding['severity']): LintFinding => ({
  ruleId: 'TRD101',
  severity,
  file: '/x.py',
  line: 1,
  column: 1,
  message: 'm',
  fix: 'f',
  strategy: null,
})

describe('lint exit decision', () => {
  it('fails on any error, and on warnings only under --strict; infos never fail', () => {
    const clean = summarize([finding('info')], 1, 1)
    const warned = summarize([finding('warning'), finding('info')], 1, 1)
    const failed = summarize([finding('error')], 1, 1)
    expect(clean).toEqual({errors: 0, warnings: 0, infos: 1, strategies: 1, files: 1})
    expect([lintPassed(clean, false), lintPassed(clean, true)]).toEqual([true, true])
    expect([lintPassed(warned, false), lintPassed(warned, true)]).toEqual([true, false])
    expect([lintPassed(failed, false), lintPassed(failed, true)]).toEqual([false, false])
  })
})

describe('lint targets', () => {
  it('takes existing files and folders as paths and everything else as strategy names', () => {
    const dir = tempDir()
    mkdirSync(path.join(dir, 'strategies'))
    writeFileSync(path.join(dir, 'a.py'), '')
    expect(splitTargets(['a.py', 'strategies', 'MyStrategy'], dir)).toEqual({
      paths: [path.join(dir, 'a.py'), path.join(dir, 'strategies')],
      names: ['MyStrategy'],
    })
  })

  it('reports a missing file as not found (exit 5) instead of looking it up as a name', () => {
    let error: unknown
    try {
      splitTargets(['missing/strategy.py'], tempDir())
    } catch (caught) {
      error = caught
    }

    expect(error).toBeInstanceOf(TradaiError)
    expect((error as TradaiError).exitCode).toBe(ExitCode.notFound)
  })
})
