import type {SettingSource} from '../backtest/request.js'

/** What `tradai strategy lint` works with; the bridge's `lint` operation returns the same shapes. */
export type LintSeverity = 'error' | 'warning' | 'info'

export interface LintFinding {
  ruleId: string
  severity: LintSeverity
  /** Absolute path of the strategy file. */
  file: string
  /** 1-based, as editors and SARIF count. */
  line: number
  column: number
  endLine?: number
  endColumn?: number
  message: string
  /** How to fix it, one sentence. */
  fix: string
  /** Class name of the strategy the finding belongs to (null for a file-level finding). */
  strategy: string | null
}

export interface LintRule {
  id: string
  name: string
  description: string
  severity: LintSeverity
}

export interface LintedStrategy {
  name: string
  className: string
  file: string
  line: number
  baseClass: string
}

/** The bridge `lint` result. */
export interface BridgeLintResult {
  findings: LintFinding[]
  strategies: LintedStrategy[]
  rules: LintRule[]
}

export interface LintRequest {
  /** Strategy files or folders (absolute); empty = every strategy in strategiesDir. */
  paths: string[]
  /** Strategy class or metadata names, looked up in strategiesDir. */
  names: string[]
  strategiesDir: string
  /** Also run Freqtrade's lookahead- and recursive-analysis (backtests; needs candles). */
  deep: boolean
  /** Warnings fail the lint too. */
  strict: boolean
  userDataDir: string
  exchange?: string
  pairs?: string[]
  timerange?: string
  /** --deep: the user's Freqtrade config files and the data fields' sources, as for a backtest. */
  freqtradeConfig?: string[]
  settingSources?: Record<string, SettingSource>
}

export interface LintSummary {
  errors: number
  warnings: number
  infos: number
  strategies: number
  files: number
}

/** The `--json` document of `tradai strategy lint` (docs/schemas/lint.schema.json). */
export interface LintReport {
  /** False when an error was found, or a warning under --strict: the command exits 1. */
  passed: boolean
  strict: boolean
  deep: boolean
  summary: LintSummary
  strategies: LintedStrategy[]
  findings: LintFinding[]
  rules: LintRule[]
}
