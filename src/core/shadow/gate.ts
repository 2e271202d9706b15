/**
 * The shadow gate (policy `gates.shadow`): what a shadow report must show for its version to be
 * promoted to production. Judged when the report is made and again, against the policy of the
 * day, when `promote` reads the report back from MLflow.
 */
export interface ShadowGatePolicy {
  minDays: number
  minTrades: number
  minMatchRate: number
  maxProfitDrift: number
  profitDriftFloor: number
  maxDrawdown: number
}

/** The report's numbers the gate reads (recorded as MLflow metrics `gate.*`). */
export interface ShadowGateInput {
  completed: boolean
  days: number
  trades: number
  matchRate: number
  profitDrift: number
  maxDrawdown: number
}

export interface ShadowGateCheck {
  check: string
  actual: number | string
  threshold: number | string
  passed: boolean
}

export interface ShadowGate {
  passed: boolean
  checks: ShadowGateCheck[]
}

export function evaluateShadowGate(policy: ShadowGatePolicy, input: ShadowGateInput): ShadowGate {
  const checks: ShadowGateCheck[] = [
    {check: 'session completed its window', actual: input.completed ? 'completed' : 'not completed', threshold: 'completed', passed: input.completed},
    {check: 'days >= minDays', actual: input.days, threshold: policy.minDays, passed: input.days >= policy.minDays},
    {check: 'trades >= minTrades', actual: input.trades, threshold: policy.minTrades, passed: input.trades >= policy.minTrades},
    {check: 'matchRate >= minMatchRate', actual: input.matchRate, threshold: policy.minMatchRate, passed: input.matchRate >= policy.minMatchRate},
    {check: 'profitDrift <= maxProfitDrift', actual: input.profitDrift, threshold: policy.maxProfitDrift, passed: input.profitDrift <= policy.maxProfitDrift},
    {check: 'maxDrawdown <= maxDrawdown', actual: input.maxDrawdown, threshold: policy.maxDrawdown, passed: input.maxDrawdown <= policy.maxDrawdown},
  ]
  return {passed: checks.every((check) => check.passed), checks}
}
