import {spawnSync} from 'node:child_process'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {json, runCli} from '../helpers/cli.js'
import {schemaErrors} from '../helpers/json-schema.js'
import {ENGINE_PYTHON, REPO} from '../helpers/paths.js'

interface Finding {
  ruleId: string
  severity: 'error' | 'warning' | 'info'
  file: string
  line: number
  message: string
  strategy: string | null
}

interface LintJson {
  passed: boolean
  findings: Finding[]
  rules: Array<{id: string}>
}

// Strategies shaped like public community strategies (test/fixtures/strategies/community).
const COMMUNITY = path.join(REPO, 'test/fixtures/strategies/community')
const file = (name: string) => path.join(COMMUNITY, name)
const at = (findings: Finding[], ruleId: string) => findings.filter((f) => f.ruleId === ruleId).map((f) => `${path.basename(f.file)}:${f.line}:${f.severity}`)

async function lint(...args: string[]): Promise<{code: number | null; report: LintJson}> {
  const result = await runCli(['strategy', 'lint', ...args, '--json'])
  const report = json<LintJson>(result)
  expect(schemaErrors('lint', report)).toEqual([])
  return {code: result.code, report}
}

describe('lint on community-shaped strategies', () => {
  it('follows the frame into a module helper: min/max normalisation is an error at the expression and at the call site', async () => {
    const {code, report} = await lint(file('normalize_helper_strategy.py'))
    expect(code).toBe(1)
    // normalize(df): line 13 holds the three whole-series aggregates; line 35 is the call in populate_indicators.
    // zscore(self, df, col) is a method: np.mean(values) and values.std() on line 43, the call on line 38.
    expect(at(report.findings, 'TRD103')).toEqual([
      'normalize_helper_strategy.py:13:error',
      'normalize_helper_strategy.py:13:error',
      'normalize_helper_strategy.py:13:error',
      'normalize_helper_strategy.py:35:error',
      'normalize_helper_strategy.py:38:error',
      'normalize_helper_strategy.py:43:error',
      'normalize_helper_strategy.py:43:error',
    ])
    const call = report.findings.find((f) => f.ruleId === 'TRD103' && f.line === 35)!
    expect(call.message).toContain('normalize()')
    expect(call.message).toContain('normalize_helper_strategy.py:13')
    const inner = report.findings.find((f) => f.ruleId === 'TRD103' && f.line === 13)!
    expect(inner.message).toContain('called from populate_indicators() at line 35')
    expect(inner.strategy).toBe('NormalizeHelperStrategy')
    // rolling_normalize() and expanding_zscore() are trailing windows: nothing on lines 17-23 or their calls (36, 37).
    expect(report.findings.filter((f) => (f.line >= 16 && f.line <= 23) || f.line === 36 || f.line === 37)).toEqual([])
  })

  it('a scaler fit on the whole frame and rank(pct=True) over the whole column are errors; a rolling rank is not', async () => {
    const {code, report} = await lint(file('scaler_fit_strategy.py'))
    expect(code).toBe(1)
    expect(at(report.findings, 'TRD107')).toEqual(['scaler_fit_strategy.py:21:error'])
    expect(at(report.findings, 'TRD108')).toEqual(['scaler_fit_strategy.py:22:error'])
    expect(report.findings.filter((f) => f.line === 23)).toEqual([])
  })

  it('follows a helper imported from the strategy folder, reporting the helper file and the call site', async () => {
    const {code, report} = await lint(file('local_import_strategy.py'))
    expect(code).toBe(1)
    expect(at(report.findings, 'TRD107').sort()).toEqual(['community_helpers.py:7:error', 'local_import_strategy.py:17:error'])
  })

  it('an overridden out-of-range default and interface-2 names are warnings only: exit 0', async () => {
    const {code, report} = await lint(file('legacy_v2_strategy.py'))
    expect(code).toBe(0)
    expect(report.passed).toBe(true)
    expect(report.findings.every((f) => f.severity !== 'error')).toBe(true)
    const byRule = Object.fromEntries(report.findings.map((f) => [f.ruleId, f]))
    expect(byRule.TRD204!.message).toContain('buy_params overrides it with 28')
    expect(at(report.findings, 'TRD004')).toEqual(['legacy_v2_strategy.py:24:warning', 'legacy_v2_strategy.py:28:warning'])
    expect(report.findings.find((f) => f.line === 24)!.message).toContain('populate_entry_trend')
    expect(byRule.TRD002!.severity).toBe('warning')
  })

  it('a class Freqtrade cannot find by name (a space before the parenthesis) is TRD005, an error', async () => {
    const {code, report} = await lint(file('spaced_class_strategy.py'))
    expect(code).toBe(1)
    expect(at(report.findings, 'TRD005')).toEqual(['spaced_class_strategy.py:10:error'])
  })

  it('--explain RULE prints the paragraph with a bad and a good example; every rule has one', async () => {
    const text = await runCli(['strategy', 'lint', '--explain', 'TRD108'])
    expect(text.code, text.stderr).toBe(0)
    expect(text.stdout).toMatch(/^TRD108 whole-series-rank \(error\)/)
    expect(text.stdout).toMatch(/Bad:\n {4}df\["vol_rank"\] = df\["volume"\]\.rank\(pct=True\)/)
    expect(text.stdout).toContain('rolling(100).rank(pct=True)')

    const byName = await runCli(['strategy', 'lint', '--explain', 'whole-series-fit', '--json'])
    expect(byName.code, byName.stderr).toBe(0)
    const doc = json<{id: string; bad: string}>(byName)
    expect(schemaErrors('lint-explain', doc)).toEqual([])
    expect(doc).toMatchObject({id: 'TRD107'})
    expect(doc.bad).toContain('fit_transform')

    // Every rule in the catalogue has its explanation (checked in the engine, one process for all).
    const check = spawnSync(
      ENGINE_PYTHON,
      [
        '-c',
        [
          'from tradai_engine.lint import rules',
          'from tradai_engine.lint.explain import explain',
          'print(sorted(explain(r.id)["id"] for r in rules.ALL if all(explain(r.id)[k] for k in ("explanation", "bad", "good"))) == sorted(r.id for r in rules.ALL), len(rules.ALL))',
        ].join('\n'),
      ],
      {env: {...process.env, PYTHONPATH: path.join(REPO, 'python')}, encoding: 'utf8'},
    )
    expect(check.stdout.trim(), check.stderr).toBe('True 26')

    const unknown = await runCli(['strategy', 'lint', '--explain', 'TRD999', '--json'])
    expect(unknown.code).toBe(2)
    expect(json<{error: {message: string}}>(unknown).error.message).toContain('TRD999')
  })
})
