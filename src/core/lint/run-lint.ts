import path from 'node:path'

import type {EnginePort} from '../ports/engine.js'
import type {CoreContext} from '../events.js'
import {lintPassed, summarize} from './outcome.js'
import type {LintReport, LintRequest} from './types.js'

export const LINT_STAGES = [
  {id: 'engine', title: 'Python engine'},
  {id: 'static', title: 'Static checks'},
  {id: 'lookahead', title: "Freqtrade's lookahead-analysis"},
  {id: 'recursive', title: "Freqtrade's recursive-analysis"},
]

/**
 * Lints strategies through the engine (Python `ast`; with `deep`, Freqtrade's own bias analyses)
 * and decides pass/fail. Failing is a result here, not an exception: the caller prints the report
 * either way and then exits 1.
 */
export async function runLint(request: LintRequest, engine: EnginePort, ctx: CoreContext): Promise<LintReport> {
  const bridge = await engine.run(
    'lint',
    {
      paths: request.paths,
      names: request.names,
      strategyPath: path.resolve(request.strategiesDir),
      deep: request.deep,
      userDataDir: path.resolve(request.userDataDir),
      exchange: request.exchange ?? null,
      pairs: request.pairs ?? null,
      timerange: request.timerange ?? null,
      freqtradeConfig: request.freqtradeConfig ?? [],
      settingSources: request.settingSources ?? {},
    },
    ctx,
  )
  const files = new Set([...bridge.strategies.map((s) => s.file), ...bridge.findings.map((f) => f.file)])
  const summary = summarize(bridge.findings, bridge.strategies.length, files.size)
  return {
    passed: lintPassed(summary, request.strict),
    strict: request.strict,
    deep: request.deep,
    summary,
    strategies: bridge.strategies,
    findings: bridge.findings,
    rules: bridge.rules,
  }
}
