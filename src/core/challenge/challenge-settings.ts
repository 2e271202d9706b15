import type {TradaiConfig} from '../config/schema.js'
import {CheckFailedError, UsageError} from '../errors.js'
import {DEFAULT_LOSS} from '../hyperopt/request.js'
import {needsWalkForward, parseCriterion, type Criterion} from './criteria.js'
import type {ChallengeRequest} from './run-challenge.js'

/** A criterion as given, with where it came from (a flag, a file, a request field) for errors. */
export interface CriterionEntry {
  text: string
  origin: string
}

/**
 * The criteria a challenge judges: the given entries replace the configured list; every entry
 * is parsed up front, so a malformed one fails (exit 2) before any backtest starts.
 */
export function challengeCriteria(given: CriterionEntry[], configured: string[], configSource: string): Criterion[] {
  const entries = given.length > 0 ? given : configured.map((text) => ({text, origin: `challenge.criteria from ${configSource}`}))
  if (entries.length === 0) throw new UsageError('No challenge criteria: pass --criterion "metric op value" or --criteria FILE, or set challenge.criteria in the config.')
  return entries.map(({text, origin}) => parseCriterion(text, origin))
}

/** challenge.monteCarlo as the challenge runs it: runs without a drawdown bound is a usage error. */
export function monteCarloCheck(mc: TradaiConfig['challenge']['monteCarlo']): ChallengeRequest['monteCarlo'] {
  if (mc?.runs === undefined) return undefined
  if (mc.maxDrawdown === undefined) {
    throw new UsageError('--monte-carlo needs --max-mc-drawdown RATIO (or challenge.monteCarlo.maxDrawdown): the drawdown the shuffles must stay under.')
  }

  return {runs: mc.runs, percentile: mc.percentile ?? 95, maxDrawdown: mc.maxDrawdown, seed: mc.seed ?? 42}
}

/** Trials per window and seed when challenge.walkForward leaves them out: a challenge is reproducible by default. */
export const WALK_FORWARD_DEFAULTS = {epochs: 30, seed: 42, spaces: ['buy', 'sell'], anchored: false}

/**
 * challenge.walkForward as the challenge runs it, only when a criterion names a wf* metric; the
 * train and test lengths have no sensible default (they depend on the candles), so a wf*
 * criterion without them is a usage error before anything runs.
 */
export function walkForwardCheck(wf: TradaiConfig['challenge']['walkForward'], criteria: Criterion[], studiesDir: string): ChallengeRequest['walkForward'] {
  if (!needsWalkForward(criteria)) return undefined
  if (wf?.trainDays === undefined || wf.testDays === undefined) {
    throw new UsageError('A wf* criterion needs a walk-forward: pass --wf-train-days D and --wf-test-days D (or set challenge.walkForward.trainDays and .testDays).', {
      suggestions: ['e.g. --wf-train-days 6 --wf-test-days 3 --wf-windows 2 --wf-epochs 20'],
    })
  }

  return {
    trainDays: wf.trainDays,
    testDays: wf.testDays,
    windows: wf.windows,
    anchored: wf.anchored ?? WALK_FORWARD_DEFAULTS.anchored,
    epochs: wf.epochs ?? WALK_FORWARD_DEFAULTS.epochs,
    spaces: wf.spaces ?? WALK_FORWARD_DEFAULTS.spaces,
    loss: wf.loss ?? DEFAULT_LOSS,
    seed: wf.seed ?? WALK_FORWARD_DEFAULTS.seed,
    studiesDir,
  }
}

/** A failed challenge as an error (exit 1); the report itself is still the result document. */
export function challengeFailure(report: {passed: boolean; criteria: Array<{criterion: string; window: string; passed: boolean}>}): CheckFailedError | undefined {
  if (report.passed) return undefined
  const failed = report.criteria.filter((criterion) => !criterion.passed)
  return new CheckFailedError(`Challenge failed: ${failed.map((criterion) => `${criterion.criterion} [${criterion.window}]`).join(', ')}.`, {
    suggestions: ['Promotion to staged needs a passing challenge of this exact version.'],
  })
}
