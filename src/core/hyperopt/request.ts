import {redactUrl} from '../redact.js'
import type {SettingSource} from '../backtest/request.js'
import type {ArcticStore} from '../data/arctic-store.js'
import {UsageError} from '../errors.js'
import {LOSSES, OBJECTIVES, SAMPLERS, SPACES} from '../ports/engine-contract/vocabulary.js'

export const ENGINES = ['optuna', 'freqtrade'] as const
export type HyperoptEngineName = (typeof ENGINES)[number]

export const DEFAULT_LOSS = 'SharpeHyperOptLoss'
const STUDY_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/

/** Which candles and account (the same fields a backtest takes). */
export interface HyperoptData {
  exchange?: string
  pairs?: string[]
  timeframe?: string
  timerange?: string
  stakeCurrency?: string
  stakeAmount?: number | 'unlimited'
  startingBalance?: number
  maxOpenTrades?: number
  fee?: number
  /** --freqtrade-config files and the data fields' sources, as for a backtest (BacktestRequest). */
  freqtradeConfig?: string[]
  settingSources?: Record<string, SettingSource>
}

/** Where a study lives: a PostgreSQL URL, else a journal file per study in studiesDir. */
export interface StudyLocation {
  storage?: string
  studiesDir: string
}

export interface HyperoptRequest extends HyperoptData, StudyLocation {
  engine: HyperoptEngineName
  strategy: string
  strategiesDir: string
  userDataDir: string
  /** Run folders (config, strategy copy, results) go here by run id. */
  outputDir: string
  epochs: number
  spaces: string[]
  loss: string
  jobs: number
  seed?: number
  minTrades: number
  study?: string
  sampler?: string
  objectives?: string[]
  oosTimerange?: string
  oosFraction?: number
  /** How many of the best trials the overfitting check re-backtests. */
  topK: number
  export: boolean
  /** With `data.source: arcticdb`: the study's candles (its range and the out-of-sample one) are read from this store first. */
  candleStore?: ArcticStore
}

export interface WorkerRequest extends StudyLocation {
  study: string
  strategiesDir: string
  userDataDir: string
  outputDir: string
  epochs: number
  jobs: number
  seed?: number
  sampler?: string
  /** With `data.source: arcticdb`: the study's candles (its pairs, timeframe and range) are read from this store first. */
  candleStore?: ArcticStore
}

function oneOf(kind: string, value: string, allowed: readonly string[], flag: string): void {
  if (!allowed.includes(value)) {
    throw new UsageError(`Unknown ${kind} "${value}" (${flag}).`, {suggestions: [`Use one of: ${allowed.join(', ')}.`]})
  }
}

function wholeNumber(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new UsageError(`${name} must be a whole number of at least ${min}, not ${value}.`, {suggestions: [`Pass ${name} ${Math.max(min, 1)} or more.`]})
  }
}

export function validateStudyName(name: string): void {
  if (!STUDY_NAME.test(name)) {
    throw new UsageError(`Study name "${name}" is not valid.`, {suggestions: ['Use letters, digits, ".", "_" and "-" (up to 128 characters).']})
  }
}

/** A PostgreSQL URL, else a usage error naming it (without its password). */
export function validateStorageUrl(url: string): void {
  let parsed: URL | undefined
  try {
    parsed = new URL(url)
  } catch {
    parsed = undefined
  }

  const ok = parsed && ['postgresql:', 'postgres:', 'postgresql+psycopg2:'].includes(parsed.protocol) && parsed.hostname && parsed.pathname.length > 1
  if (!ok) {
    throw new UsageError(`Storage URL "${redactUrl(url)}" is not a PostgreSQL URL (--storage).`, {
      suggestions: ['Use postgresql://USER:PASSWORD@HOST:PORT/DATABASE, or leave --storage out for a journal file in studiesDir (beside the engine).'],
    })
  }
}

/** Checks everything that can be checked without the engine; the engine checks the rest. */
export function validateHyperoptRequest(request: HyperoptRequest): void {
  oneOf('engine', request.engine, ENGINES, '--engine')
  wholeNumber('--epochs', request.epochs, 1)
  wholeNumber('--jobs', request.jobs, 1)
  wholeNumber('--min-trades', request.minTrades, 0)
  wholeNumber('--top-k', request.topK, 1)
  if (request.spaces.length === 0) throw new UsageError('--spaces needs at least one space.', {suggestions: [`Spaces: ${SPACES.join(', ')}.`]})
  for (const space of request.spaces) oneOf('space', space, SPACES, '--spaces')
  oneOf('loss', request.loss, LOSSES, '--loss')
  if (request.sampler) oneOf('sampler', request.sampler, SAMPLERS, '--sampler')
  for (const objective of request.objectives ?? []) oneOf('objective', objective, OBJECTIVES, '--objectives')
  if (request.study) validateStudyName(request.study)
  if (request.storage) validateStorageUrl(request.storage)
  if (request.oosTimerange && request.oosFraction !== undefined) {
    throw new UsageError('--oos-timerange and --oos-fraction both say which candles to hold out; pass one.')
  }

  if (request.oosFraction !== undefined && !(request.oosFraction > 0 && request.oosFraction < 1)) {
    throw new UsageError(`--oos-fraction must be between 0 and 1 (e.g. 0.25), not ${request.oosFraction}.`)
  }

  if (request.engine === 'freqtrade') {
    const optunaOnly = [
      ['--storage', request.storage],
      ['--study', request.study],
      ['--sampler', request.sampler],
      ['--objectives', request.objectives?.length ? request.objectives : undefined],
    ].filter(([, value]) => value !== undefined)
    if (optunaOnly.length > 0) {
      throw new UsageError(`${optunaOnly.map(([flag]) => flag).join(', ')} only apply to --engine optuna.`, {
        suggestions: ["Freqtrade's hyperopt keeps its epochs in user_data/hyperopt_results/ and uses its own sampler."],
      })
    }
  }
}

export function validateWorkerRequest(request: WorkerRequest): void {
  validateStudyName(request.study)
  wholeNumber('--epochs', request.epochs, 1)
  wholeNumber('--jobs', request.jobs, 1)
  if (request.sampler) oneOf('sampler', request.sampler, SAMPLERS, '--sampler')
  if (request.storage) validateStorageUrl(request.storage)
}
