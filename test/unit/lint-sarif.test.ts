import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {toSarif} from '../../src/core/lint/sarif.js'
import type {LintReport} from '../../src/core/lint/types.js'
import {sarifErrors} from '../helpers/sarif.js'

const base = '/repo'
const report: LintReport = {
  passed: false,
  strict: false,
  deep: false,
  summary: {errors: 1, warnings: 1, infos: 1, strategies: 1, files: 2},
  strategies: [{name: 'S', className: 'S', file: '/repo/strategies/s.py', line: 3, baseClass: 'TradAIStrategy'}],
  findings: [
    {
      ruleId: 'TRD101',
      severity: 'error',
      file: '/repo/strategies/s.py',
      line: 10,
      column: 5,
      endLine: 10,
      endColumn: 20,
      message: 'shift(-1) reads the future',
      fix: 'use shift(1)',
      strategy: 'S',
    },
    {ruleId: 'TRD010', severity: 'warning', file: '/repo/strategies/my strat.py', line: 1, column: 1, message: 'no metadata', fix: 'add it', strategy: null},
    {ruleId: 'TRD002', severity: 'info', file: '/elsewhere/x.py', line: 2, column: 1, message: 'implicit', fix: 'set it', strategy: 'S'},
  ],
  rules: [
    {id: 'TRD002', name: 'interface-version', description: 'INTERFACE_VERSION is 3.', severity: 'error'},
    {id: 'TRD010', name: 'metadata-missing', description: 'Metadata.', severity: 'error'},
    {id: 'TRD101', name: 'negative-shift', description: 'No negative shift.', severity: 'error'},
  ],
}

describe('toSarif', () => {
  const log = toSarif(report, {baseDir: base, toolVersion: '0.1.0'})
  const run = log.runs[0] as {results: Array<Record<string, any>>; tool: {driver: {rules: Array<Record<string, any>>}}}

  it('produces a document that validates against the SARIF 2.1.0 schema', () => {
    expect(sarifErrors(log)).toEqual([])
  })

  it('is checked by a validator that rejects a broken log (so the test above can fail)', () => {
    const broken = structuredClone(log) as any
    broken.runs[0].results[0].level = 'info'
    expect(sarifErrors(broken).length).toBeGreaterThan(0)
    expect(sarifErrors({version: '2.0.0', runs: []}).length).toBeGreaterThan(0)
  })

  it('maps severities to SARIF levels and points rules by index', () => {
    expect(run.results.map((r) => r.level)).toEqual(['error', 'warning', 'note'])
    expect(run.results[0]!.ruleIndex).toBe(2)
    expect(run.tool.driver.rules[run.results[0]!.ruleIndex]!.id).toBe('TRD101')
  })

  it('uses repository-relative, percent-encoded URIs under the base folder and file: URIs outside it', () => {
    const uris = run.results.map((r) => r.locations[0].physicalLocation.artifactLocation)
    expect(uris[0]).toEqual({uri: 'strategies/s.py', uriBaseId: '%SRCROOT%'})
    expect(uris[1]).toEqual({uri: 'strategies/my%20strat.py', uriBaseId: '%SRCROOT%'})
    expect(uris[2].uri).toBe(`file://${path.resolve('/elsewhere/x.py')}`)
  })

  it('puts the region and the fix into the result (code scanning shows only the message)', () => {
    expect(run.results[0]!.locations[0].physicalLocation.region).toEqual({startLine: 10, startColumn: 5, endLine: 10, endColumn: 20})
    expect(run.results[0]!.message.text).toContain('Fix: use shift(1)')
  })
})
