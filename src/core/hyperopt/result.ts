import type {CandleSourceRecord} from '../data/arctic-store.js'

/** What the bridge's hyperopt-optuna / hyperopt-freqtrade operations return (docs/bridge-protocol.md). */
export interface TrialMetrics {
  totalTrades: number | null
  profitTotal: number | null
  profitTotalAbs: number | null
  maxDrawdown: number | null
  sharpe: number | null
  sortino: number | null
  calmar: number | null
  winRate: number | null
  profitFactor: number | null
  expectancy: number | null
  holdingAvg: string | null
  backtestStart: string | null
  backtestEnd: string | null
}

export interface TrialRow {
  number: number
  state: string
  values: number[] | null
  loss: number | null
  params: Record<string, unknown>
  metrics: TrialMetrics | null
  run?: string | null
  start?: string | null
  complete?: string | null
  durationSeconds?: number | null
}

export interface OosRow {
  trial: number
  params: Record<string, unknown>
  inSample: TrialMetrics & {loss: number | null}
  outOfSample: TrialMetrics & {loss: number | null}
  /** In-sample minus out-of-sample for each number (a positive profit drop = worse out of sample). */
  drop: Record<string, number>
}

export interface OosReport {
  timerange: string
  inSampleTimerange: string | null
  trials: OosRow[]
}

export interface BridgeHyperoptResult {
  study: string
  engine: 'optuna' | 'freqtrade'
  storage: string
  strategy: string
  strategyFile: string
  spaces: string[]
  loss: string
  objectives: string[]
  sampler: string
  epochs: number
  completedTrials: number
  failedOrphans: number[]
  bestTrial: number | null
  bestLoss: number | null
  bestParams: Record<string, Record<string, unknown>> | null
  bestMetrics: TrialMetrics | null
  paretoFront: Array<TrialRow & {objectives: Record<string, number>}> | null
  oos: OosReport | null
  paramsFile: string | null
  trials: TrialRow[]
  timerange: string | null
  marketsSource: 'snapshot' | 'synthesized'
  resultsFile?: string
  trialsSeconds: number
  epochsPerSecond: number | null
  durationSeconds: number
}

/** `tradai hyperopt run|worker --json`. */
export interface HyperoptResult {
  study: string
  engine: 'optuna' | 'freqtrade'
  /** Epochs completed by this run. */
  epochs: number
  /** All completed trials in the study after this run. */
  completedTrials: number
  bestLoss: number | null
  bestParams: Record<string, Record<string, unknown>> | null
  bestMetrics: TrialMetrics | null
  oos: OosReport | null
  paretoFront: Array<TrialRow & {objectives: Record<string, number>}> | null
  paramsFile: string | null
  bestTrial: number | null
  storage: string
  strategy: string
  spaces: string[]
  loss: string
  objectives: string[]
  sampler: string
  failedOrphans: number[]
  timerange: string | null
  runId: string
  runDir: string
  epochsPerSecond: number | null
  durationSeconds: number
  /** With `data.source: arcticdb`: the store, library and symbol versions this run's trials read. */
  candleSource?: CandleSourceRecord
}
