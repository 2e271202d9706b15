import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'

import type {EnginePort} from '../ports/engine.js'
import {attest, digestOf} from '../attestation/attestation.js'
import {checkRegisteredCode} from '../attestation/evidence.js'
import type {GateKey} from '../attestation/key.js'
import {recordAttestation} from '../attestation/store.js'
import {readStrategyStats} from '../backtest/freqtrade-result.js'
import type {BacktestMetrics} from '../backtest/metrics.js'
import type {BacktestRequest} from '../backtest/request.js'
import {runBacktest, type BacktestResult} from '../backtest/run-backtest.js'
import type {TradaiConfig} from '../config/schema.js'
import {CANDLE_SOURCE_STAGES} from '../data/arctic-cache.js'
import {candleSourceTags, type CandleSourceRecord} from '../data/arctic-store.js'
import {ExitCode, TradaiError, UsageError} from '../errors.js'
import {inStage, type CoreContext} from '../events.js'
import type {RegistryPort} from '../ports/registry.js'
import {pickVersion, readRegistryState, type RegistryVersion} from '../registry/state.js'
import {RUN_KIND, VERSION_TAG} from '../registry/tags.js'
import {downloadVersionCode} from '../registry/version-code.js'
import {deliverRun} from '../tracking/deliver.js'
import {experimentName} from '../tracking/paths.js'
import type {RunContext} from '../tracking/run-context.js'
import {scrub} from '../tracking/secrets.js'
import {runWalkForward, type WalkForwardRequest, type WalkForwardResult} from '../walk-forward/run-walk-forward.js'
import {
  evaluateBeatsMarket,
  evaluateBeatsProduction,
  evaluateMetric,
  evaluateWalkForwardMetric,
  isWalkForwardMetric,
  needsWalkForward,
  type Criterion,
  type CriterionMetric,
  type CriterionResult,
} from './criteria.js'
import {monteCarloDrawdown, type MonteCarloResult} from './monte-carlo.js'

export const CHALLENGE_STAGES = [
  {id: 'engine', title: 'Python engine'},
  {id: 'registry', title: "Download the version's code from the registry"},
  ...CANDLE_SOURCE_STAGES,
  {id: 'strategy', title: 'Load the strategy'},
  {id: 'data', title: 'Load candles'},
  {id: 'backtest', title: 'Backtest'},
  {id: 'results', title: 'Read the results'},
  {id: 'walk-forward', title: 'Walk-forward of the version (wf* criteria)'},
  {id: 'champion', title: 'Backtest the production version'},
  {id: 'record', title: 'Record on the model version'},
]

/** The data a challenge backtests on: the backtest's data flags (strategy and folder come from the registry). */
export type ChallengeData = Omit<BacktestRequest, 'strategy' | 'strategiesDir' | 'params'>

export interface ChallengeRequest {
  model: string
  version?: number
  criteria: Criterion[]
  productionMetric: CriterionMetric
  oosTimerange?: string
  monteCarlo?: {runs: number; percentile: number; maxDrawdown: number; seed: number}
  /** Set when a criterion names a wf* metric (challengeSettings' walkForwardCheck). */
  walkForward?: ChallengeWalkForwardSettings
  data: ChallengeData
  experiment: Pick<TradaiConfig['tracking'], 'experimentName' | 'experimentPrefix'>
  context: RunContext
  secrets: string[]
  /** Verifies the version's registration and signs the challenge result (src/core/attestation). */
  gateKey: GateKey
}

/** How the challenge's walk-forward runs: `strategy walk-forward`'s flags, one to one. */
export type ChallengeWalkForwardSettings = Pick<WalkForwardRequest, 'trainDays' | 'testDays' | 'windows' | 'anchored' | 'epochs' | 'spaces' | 'loss' | 'studiesDir'> & {
  seed: number
}

/** The walk-forward in a challenge report: its settings, windows in brief, and the aggregate wf* criteria read. */
export interface ChallengeWalkForward {
  runId: string
  settings: Omit<ChallengeWalkForwardSettings, 'studiesDir' | 'windows'> & {windows: number}
  windows: Array<{index: number; train: {timerange: string}; test: {timerange: string}; bestParams: WalkForwardResult['windows'][number]['bestParams']; efficiency: number | null}>
  aggregate: WalkForwardResult['aggregate']
}

export interface ChallengeBacktest {
  runId: string
  version: number
  timerange: string | null
  period: {start: string; end: string}
  pairs: string[]
  metrics: BacktestMetrics
  /** With `data.source: arcticdb`: the symbol versions this backtest read (part of the signed report). */
  candleSource?: CandleSourceRecord
}

/** The `--json` document of `tradai strategy challenge` (docs/schemas/strategy-challenge.schema.json). */
export interface ChallengeReport {
  model: {name: string}
  version: number
  codeHash: string
  status: 'passed' | 'failed'
  passed: boolean
  criteria: CriterionResult[]
  backtest: ChallengeBacktest
  outOfSample: ChallengeBacktest | null
  champion: ChallengeBacktest | null
  monteCarlo: (MonteCarloResult & {maxDrawdown: number}) | null
  /** The walk-forward wf* criteria were judged on; null when no criterion named one. */
  walkForward: ChallengeWalkForward | null
  /** The MLflow run holding this report. */
  runId: string
  at: string
}

/**
 * Challenges a registered version: backtests the version's own code from the registry on the
 * requested candles and judges it against the criteria (plus beatsMarket, beatsProduction on the
 * same candles, an out-of-sample window and a Monte Carlo drawdown when asked). The outcome is
 * recorded on the version (status, run id, code hash tags) and in a run with the report; a
 * failure is a result here, not an exception: the caller prints it and exits 1.
 */
export async function runChallenge(request: ChallengeRequest, engine: EnginePort, port: RegistryPort, ctx: CoreContext): Promise<ChallengeReport> {
  // A wf* criterion without a walk-forward would silently judge nothing: refuse it up front.
  if (!request.walkForward && needsWalkForward(request.criteria)) {
    throw new UsageError('A wf* criterion needs walk-forward settings (challenge.walkForward.trainDays and .testDays, or --wf-train-days / --wf-test-days).')
  }

  const {state, version} = await inStage(ctx, 'registry', async () => {
    const state = await readRegistryState(port, request.model, ctx.signal)
    const version = pickVersion(state, request.version)
    // Challenge only what was registered and is still in the registry byte for byte.
    const {registration, code} = await checkRegisteredCode(port, request.gateKey, request.model, version, ctx.signal)
    const problem = registration.verified ? code.reason : `${request.model} v${version.version} has no verified registration: ${registration.reason}`
    if (problem) {
      throw new TradaiError(
        registration.verified ? 'CODE_CHANGED' : 'EVIDENCE_INVALID',
        ExitCode.checkFailed,
        `Refused to challenge ${request.model} v${version.version}: ${problem}.`,
        {
          suggestions: [`Register the strategy again (\`tradai strategy register ${request.model}\`) and challenge the new version.`],
        },
      )
    }

    return {state, version}
  })
  const work = await mkdtemp(path.join(tmpdir(), 'tradai-challenge-'))
  try {
    const backtestVersion = async (target: RegistryVersion, label: string, timerange?: string): Promise<BacktestResult> => {
      const code = await downloadVersionCode(port, request.model, target, path.join(work, label), ctx.signal)
      return runBacktest(
        {
          ...request.data,
          ...(timerange ? {timerange, settingSources: {...request.data.settingSources, timerange: {kind: 'flag', label: 'flag --oos-timerange'}}} : {}),
          strategy: code.strategyClass,
          strategiesDir: code.dir,
          params: {},
        },
        engine,
        ctx,
      )
    }

    const criteria: CriterionResult[] = []
    const judge = (result: BacktestResult, window: CriterionResult['window']) => {
      for (const criterion of request.criteria) {
        if (criterion.kind === 'metric') {
          if (!isWalkForwardMetric(criterion.metric)) criteria.push(evaluateMetric(criterion, result.metrics, window))
        } else if (criterion.check === 'beatsMarket') criteria.push(evaluateBeatsMarket(result.metrics, window))
      }
    }

    const inSample = await backtestVersion(version, `v${version.version}`)
    judge(inSample, 'in-sample')

    let outOfSample: BacktestResult | undefined
    if (request.oosTimerange) {
      outOfSample = await backtestVersion(version, `v${version.version}-oos`, request.oosTimerange)
      judge(outOfSample, 'out-of-sample')
    }

    let walkForward: WalkForwardResult | undefined
    if (request.walkForward) {
      const settings = request.walkForward
      walkForward = await inStage(
        ctx,
        'walk-forward',
        async () => {
          // The version's own code, like its backtest; the walk-forward's stages become this one's progress.
          const code = await downloadVersionCode(port, request.model, version, path.join(work, `v${version.version}-wf`), ctx.signal)
          const inner: CoreContext = {
            signal: ctx.signal,
            onEvent: (event) =>
              event.type === 'log'
                ? ctx.onEvent(event)
                : event.type === 'stage' && event.status === 'start'
                  ? ctx.onEvent({type: 'progress', stage: 'walk-forward', current: 0, message: event.stage})
                  : event.type === 'progress'
                    ? ctx.onEvent({...event, stage: 'walk-forward'})
                    : undefined,
          }
          return runWalkForward({...request.data, ...settings, strategy: code.strategyClass, strategiesDir: code.dir, jobs: 1, minTrades: 1}, engine, inner)
        },
        `${settings.trainDays}+${settings.testDays} days, ${settings.epochs} epochs`,
      )
      for (const criterion of request.criteria) {
        if (criterion.kind === 'metric' && isWalkForwardMetric(criterion.metric)) criteria.push(evaluateWalkForwardMetric(criterion, walkForward.aggregate))
      }
    }

    let champion: {version: number; result: BacktestResult} | undefined
    if (request.criteria.some((criterion) => criterion.kind === 'named' && criterion.check === 'beatsProduction')) {
      const production = state.aliases.production
      if (production === null || production === version.version) {
        ctx.onEvent({type: 'stage', stage: 'champion', status: 'skip'})
        criteria.push({
          criterion: 'beatsProduction',
          window: 'champion',
          actual: null,
          op: '>',
          threshold: null,
          passed: true,
          skipped: true,
          note: production === null ? 'no production version yet' : 'this version is the production version',
        })
      } else {
        const result = await inStage(ctx, 'champion', async () => backtestVersion(pickVersion(state, production), `v${production}-champion`), `v${production}`)
        champion = {version: production, result}
        criteria.push(evaluateBeatsProduction(request.productionMetric, inSample.metrics, result.metrics, production))
      }
    }

    let monteCarlo: ChallengeReport['monteCarlo'] = null
    if (request.monteCarlo) {
      const stats = await readStrategyStats(statsFileOf(inSample), inSample.strategyClass)
      const trades = [...stats.trades].sort((a, b) => a.close_timestamp - b.close_timestamp)
      const mc = monteCarloDrawdown({
        startingBalance: stats.starting_balance,
        profits: trades.map((trade) => trade.profit_abs),
        runs: request.monteCarlo.runs,
        percentile: request.monteCarlo.percentile,
        seed: request.monteCarlo.seed,
      })
      monteCarlo = {...mc, maxDrawdown: request.monteCarlo.maxDrawdown}
      criteria.push({
        criterion: `monteCarloDrawdown(p${mc.percentile}) < ${request.monteCarlo.maxDrawdown}`,
        window: 'monte-carlo',
        actual: mc.drawdown,
        op: '<',
        threshold: request.monteCarlo.maxDrawdown,
        passed: mc.drawdown < request.monteCarlo.maxDrawdown,
        skipped: false,
        note: `${mc.runs} trade-order shuffles of ${mc.trades} trades, seed ${mc.seed}`,
      })
    }

    const passed = criteria.every((criterion) => criterion.passed)
    const summary = (result: BacktestResult, number: number): ChallengeBacktest => ({
      runId: result.runId,
      version: number,
      timerange: result.timerange,
      period: result.period,
      pairs: result.pairs,
      metrics: result.metrics,
      ...(result.candleSource ? {candleSource: result.candleSource} : {}),
    })
    const report: ChallengeReport = {
      model: {name: request.model},
      version: version.version,
      codeHash: version.codeHash ?? '',
      status: passed ? 'passed' : 'failed',
      passed,
      criteria,
      backtest: summary(inSample, version.version),
      outOfSample: outOfSample ? summary(outOfSample, version.version) : null,
      champion: champion ? summary(champion.result, champion.version) : null,
      monteCarlo,
      walkForward: walkForward && request.walkForward ? walkForwardSummary(walkForward, request.walkForward) : null,
      runId: '',
      at: new Date().toISOString(),
    }
    report.runId = await inStage(ctx, 'record', async () => recordChallenge(request, report, inSample, walkForward, work, port, ctx))
    return report
  } finally {
    await rm(work, {recursive: true, force: true})
  }
}

function walkForwardSummary(result: WalkForwardResult, settings: ChallengeWalkForwardSettings): ChallengeWalkForward {
  const {studiesDir: _studies, windows: _windows, ...rest} = settings
  return {
    runId: result.runId,
    settings: {...rest, windows: result.windows.length},
    windows: result.windows.map((w) => ({
      index: w.index,
      train: {timerange: w.train.timerange},
      test: {timerange: w.test.timerange},
      bestParams: w.bestParams,
      efficiency: w.efficiency,
    })),
    aggregate: result.aggregate,
  }
}

/** The stats JSON the bridge extracts beside Freqtrade's result zip (docs/bridge-protocol.md). */
function statsFileOf(result: BacktestResult): string {
  return path.join(result.runDir, path.basename(result.resultFile).replace(/\.zip$/, '.json'))
}

/** A run with the report, then the version's challenge tags (status last: it is what promotion reads). */
async function recordChallenge(
  request: ChallengeRequest,
  report: ChallengeReport,
  inSample: BacktestResult,
  walkForward: WalkForwardResult | undefined,
  work: string,
  port: RegistryPort,
  ctx: CoreContext,
): Promise<string> {
  const reportFile = path.join(work, 'challenge-report.json')
  const reportText = `${JSON.stringify(report, null, 2)}\n`
  await writeFile(reportFile, reportText)
  const now = Date.now()
  const runName = `challenge ${request.model} v${report.version}`
  const metrics = Object.entries(inSample.metrics)
    .filter((entry): entry is [string, number] => typeof entry[1] === 'number' && Number.isFinite(entry[1]))
    .map(([key, value]) => ({key, value, timestamp: now, step: 0}))
  for (const [key, value] of Object.entries(report.walkForward?.aggregate ?? {})) {
    if (typeof value === 'number' && Number.isFinite(value)) metrics.push({key: `wf.${key}`, value, timestamp: now, step: 0})
  }

  report.criteria.forEach((criterion, index) => {
    if (criterion.actual !== null) metrics.push({key: `criterion.${index}.actual`, value: criterion.actual, timestamp: now, step: 0})
    metrics.push({key: `criterion.${index}.passed`, value: criterion.passed ? 1 : 0, timestamp: now, step: 0})
  })
  const {runId} = await deliverRun(
    port,
    {
      format: 1,
      clientRunId: `challenge:${request.model}:${report.version}:${now}`,
      experimentName: experimentName(request.experiment, request.model),
      runName,
      user: request.context.user,
      startTime: now,
      endTime: now,
      params: [
        {key: 'model', value: request.model},
        {key: 'version', value: String(report.version)},
        {key: 'timerange', value: inSample.timerange || 'all'},
        {key: 'pairs', value: inSample.pairs.join(',')},
        ...report.criteria.map((criterion, index) => ({key: `criterion.${index}`, value: `${criterion.criterion} [${criterion.window}]`})),
        ...(report.walkForward ? [{key: 'wf.runId', value: report.walkForward.runId}] : []),
        ...Object.entries(candleSourceTags(inSample.candleSource)).map(([key, value]) => ({key: key.replace(/^tradai\./, ''), value})),
      ].map((param) => ({...param, value: scrub(param.value, request.secrets)})),
      metrics,
      tags: [
        {key: 'tradai.kind', value: RUN_KIND.challenge},
        {key: 'tradai.strategy', value: request.model},
        {key: 'tradai.model', value: request.model},
        {key: 'tradai.model_version', value: String(report.version)},
        {key: VERSION_TAG.challengeStatus, value: report.status},
        {key: VERSION_TAG.codeHash, value: report.codeHash},
        {key: 'tradai.version', value: request.context.tradaiVersion},
        {key: 'mlflow.user', value: request.context.user},
        {key: 'mlflow.runName', value: runName},
        {key: 'mlflow.source.name', value: 'tradai strategy challenge'},
      ],
      artifacts: [
        {path: 'challenge-report.json', file: reportFile},
        {path: `freqtrade/${path.basename(inSample.resultFile)}`, file: inSample.resultFile},
        ...(walkForward ? [{path: 'walk-forward/tradai-walk-forward.json', file: path.join(walkForward.runDir, 'tradai-walk-forward.json')}] : []),
      ],
    },
    {artifacts: []},
    {save: async () => {}, stage: 'record'},
    ctx,
  )
  const set = (key: string, value: string) => port.setModelVersionTag(request.model, String(report.version), key, value, ctx.signal)
  // A passed status must never sit next to a stale run id or hash: clear the status first.
  await set(VERSION_TAG.challengeStatus, 'running')
  await set(VERSION_TAG.challengeRunId, runId)
  await set(VERSION_TAG.challengeCodeHash, report.codeHash)
  await set(VERSION_TAG.challengeAt, report.at)
  // The signed result is the evidence; the tags above are an index for people and `show`.
  const policy = {
    criteria: report.criteria.map((criterion) => `${criterion.criterion} [${criterion.window}]`),
    productionMetric: request.productionMetric,
    oosTimerange: request.oosTimerange ?? null,
    monteCarlo: request.monteCarlo ?? null,
    walkForward: report.walkForward?.settings ?? null,
  }
  await recordAttestation(
    port,
    request.model,
    attest(
      {
        kind: 'challenge',
        model: request.model,
        version: report.version,
        codeHash: report.codeHash,
        runId,
        result: {status: report.status, digest: digestOf(reportText)},
        policy,
        at: report.at,
        who: request.context.user,
      },
      request.gateKey,
    ),
    ctx.signal,
  )
  await set(VERSION_TAG.challengeStatus, report.status)
  return runId
}
