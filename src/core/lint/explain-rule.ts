import type {EnginePort} from '../ports/engine.js'
import type {CoreContext} from '../events.js'
import type {LintRule} from './types.js'

/** One lint rule with why it exists and a bad and a good example (`strategy lint --explain RULE`). */
export interface LintRuleExplanation extends LintRule {
  explanation: string
  bad: string
  good: string
}

export const EXPLAIN_STAGES = [{id: 'engine', title: 'Python engine'}]

/** The catalogue lives beside the rules in the engine (python/tradai_engine/lint/explain.py); nothing is linted. */
export async function explainRule(rule: string, engine: EnginePort, ctx: CoreContext): Promise<LintRuleExplanation> {
  const result = await engine.run('lint-explain', {rule}, ctx)
  return result.rule
}
