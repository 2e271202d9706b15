import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {json, runCli} from '../helpers/cli.js'
import {schemaErrors} from '../helpers/json-schema.js'
import {fixtureUserData, REPO} from '../helpers/paths.js'
import {sarifErrors} from '../helpers/sarif.js'

interface Finding {
  ruleId: string
  severity: 'error' | 'warning' | 'info'
  file: string
  line: number
  column: number
  message: string
  fix: string
  strategy: string | null
}

interface LintJson {
  passed: boolean
  strict: boolean
  deep: boolean
  summary: {errors: number; warnings: number; infos: number; strategies: number; files: number}
  strategies: Array<{name: string; className: string; file: string}>
  findings: Finding[]
  rules: Array<{id: string; severity: string}>
}

const BAD = path.join(REPO, 'test/fixtures/strategies')
const PEEKING = path.join(BAD, 'peeking_shift_strategy.py')

describe('tradai strategy lint', () => {
  it('passes the sample strategies with no findings at all (exit 0)', async () => {
    const result = await runCli(['strategy', 'lint', '--json'])
    expect(result.code, result.stderr).toBe(0)
    const report = json<LintJson>(result)
    expect(schemaErrors('lint', report)).toEqual([])
    expect(report.passed).toBe(true)
    expect(report.findings).toEqual([])
    expect(report.strategies.map((s) => s.className).sort()).toEqual(['SampleEmaCrossStrategy', 'SampleRsiStrategy'])
  })

  it('flags signals built on shift(-1) as an error and exits 1, still printing the report', async () => {
    const result = await runCli(['strategy', 'lint', PEEKING, '--json'])
    expect(result.code).toBe(1)
    const report = json<LintJson>(result)
    expect(schemaErrors('lint', report)).toEqual([])
    expect(report.passed).toBe(false)
    expect(report.findings).toHaveLength(1)
    expect(report.findings[0]).toMatchObject({ruleId: 'TRD101', severity: 'error', file: PEEKING, line: 37, strategy: 'PeekingShiftStrategy'})
    expect(result.stderr).toContain('Lint failed')
  })

  it('prints file:line:col  severity  ruleId  message, the fix, and a summary in text mode', async () => {
    const result = await runCli(['strategy', 'lint', 'test/fixtures/strategies/peeking_shift_strategy.py'])
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/^test\/fixtures\/strategies\/peeking_shift_strategy\.py:37:14 {2}error {4}TRD101 {2}shift\(-1\)/m)
    expect(result.stdout).toMatch(/^ {4}fix: use a positive shift/m)
    expect(result.stdout).toContain('✖ lint failed: 1 error, 0 warnings, 0 infos in 1 strategy')
  })

  it('catches each bad fixture with its rule', async () => {
    const result = await runCli(['strategy', 'lint', BAD, 'test/fixtures/strategies/helpers_module.py', '--json'])
    expect(result.code).toBe(1)
    const report = json<LintJson>(result)
    expect(schemaErrors('lint', report)).toEqual([])
    const byFile = new Map<string, Set<string>>()
    for (const finding of report.findings) {
      const ids = byFile.get(path.basename(finding.file)) ?? new Set()
      ids.add(`${finding.ruleId}:${finding.severity}`)
      byFile.set(path.basename(finding.file), ids)
    }

    const ids = (file: string) => [...(byFile.get(file) ?? [])].sort()
    expect(ids('broken_syntax_strategy.py')).toEqual(['TRD000:error'])
    expect(ids('helpers_module.py')).toEqual(['TRD001:error'])
    expect(ids('peeking_shift_strategy.py')).toEqual(['TRD101:error'])
    expect(ids('future_leaks_strategy.py')).toEqual(['TRD101:error', 'TRD102:error', 'TRD103:error', 'TRD104:error', 'TRD105:error', 'TRD106:warning'])
    expect(ids('hardcoded_secrets_strategy.py')).toEqual(['TRD301:error'])
    expect(ids('short_on_spot_strategy.py')).toEqual(['TRD401:error'])
    expect(ids('metadata_free_strategy.py')).toEqual(['TRD010:warning'])
    expect(ids('bad_metadata_strategy.py')).toEqual(['TRD010:error', 'TRD011:error'])
    // Interface 2 and out-of-range defaults still run in Freqtrade: warnings, not errors.
    expect(ids('plain_istrategy.py')).toEqual([
      'TRD002:warning',
      'TRD003:error',
      'TRD003:warning',
      'TRD004:warning',
      'TRD010:warning',
      'TRD201:error',
      'TRD202:error',
      'TRD203:warning',
      'TRD204:warning',
      'TRD402:warning',
    ])
    // Lookahead that is fine where it is: iloc[-1] in a callback, shift(-12) in FreqAI targets.
    const leaks = report.findings.filter((f) => f.file.endsWith('future_leaks_strategy.py'))
    expect(leaks.filter((f) => f.ruleId === 'TRD101').map((f) => f.line)).toEqual([28])
    expect(leaks.filter((f) => f.ruleId === 'TRD104').map((f) => f.line)).toEqual([33, 35])
    // Secrets are named, never repeated.
    const secrets = report.findings.filter((f) => f.ruleId === 'TRD301')
    expect(secrets).toHaveLength(4)
    // The fix points at the command that exists: `tradai credentials set EXCHANGE`.
    for (const finding of secrets) expect((finding as {fix?: string}).fix).toContain('`tradai credentials set EXCHANGE`')
    expect(result.stdout).not.toContain('AKIAIOSFODNN7EXAMPLE')
    expect(result.stdout).not.toContain('hunter2')
  })

  it('writes SARIF 2.1.0 that validates against the schema, with relative URIs', async () => {
    const result = await runCli(['strategy', 'lint', 'test/fixtures/strategies', '--format', 'sarif'])
    expect(result.code).toBe(1)
    const log = json<{version: string; runs: Array<{results: Array<{ruleId: string; locations: Array<{physicalLocation: {artifactLocation: {uri: string}}}>}>}>}>(result)
    expect(sarifErrors(log)).toEqual([])
    expect(log.version).toBe('2.1.0')
    const results = log.runs[0]!.results
    expect(results.some((r) => r.ruleId === 'TRD101' && r.locations[0]!.physicalLocation.artifactLocation.uri === 'test/fixtures/strategies/peeking_shift_strategy.py')).toBe(true)
  })

  it('passes warnings unless --strict, which fails them', async () => {
    const file = 'test/fixtures/strategies/metadata_free_strategy.py'
    const lenient = await runCli(['strategy', 'lint', file, '--json'])
    expect(lenient.code).toBe(0)
    expect(json<LintJson>(lenient).summary.warnings).toBe(1)
    const strict = await runCli(['strategy', 'lint', file, '--strict', '--json'])
    expect(strict.code).toBe(1)
    expect(json<LintJson>(strict)).toMatchObject({passed: false, strict: true})
  })

  it('lints strategies by name from the strategies folder', async () => {
    const result = await runCli(['strategy', 'lint', 'PeekingShiftStrategy', '--strategy-path', BAD, '--json'])
    expect(result.code).toBe(1)
    expect(json<LintJson>(result).strategies.map((s) => s.className)).toEqual(['PeekingShiftStrategy'])
  })

  it('exits 5 for an unknown strategy or path, and 2 for --json with --format sarif', async () => {
    const unknown = await runCli(['strategy', 'lint', 'NoSuchStrategy', '--json'])
    expect(unknown.code).toBe(5)
    expect(json<{error: {code: string}}>(unknown).error.code).toBe('STRATEGY_NOT_FOUND')
    const missing = await runCli(['strategy', 'lint', 'strategies/nope.py'])
    expect(missing.code).toBe(5)
    const conflict = await runCli(['strategy', 'lint', '--json', '--format', 'sarif'])
    expect(conflict.code).toBe(2)
    expect(json<{error: {code: string}}>(conflict).error.code).toBe('USAGE')
  })

  it("--deep runs Freqtrade's lookahead- and recursive-analysis and reports the bias they find", async () => {
    const userData = fixtureUserData()
    const result = await runCli(['strategy', 'lint', PEEKING, '--deep', '--json', '--user-data-dir', userData, '--pairs', 'ETH/BTC', '--timerange', '20180120-20180122'])
    expect(result.code, result.stderr).toBe(1)
    const report = json<LintJson>(result)
    expect(schemaErrors('lint', report)).toEqual([])
    expect(report.deep).toBe(true)
    const deep = report.findings.filter((f) => f.ruleId.startsWith('TRD5'))
    expect(deep.find((f) => f.ruleId === 'TRD501')).toMatchObject({severity: 'error', strategy: 'PeekingShiftStrategy'})
    expect(deep.find((f) => f.ruleId === 'TRD501')!.message).toContain('enter_long')
  })

  it('--deep without a timerange is a usage error (exit 2)', async () => {
    const result = await runCli(['strategy', 'lint', PEEKING, '--deep', '--json', '--user-data-dir', fixtureUserData()])
    expect(result.code).toBe(2)
    expect(json<{error: {message: string}}>(result).error.message).toContain('timerange')
  })
})
