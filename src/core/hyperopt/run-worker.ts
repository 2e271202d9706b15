import type {CoreContext} from '../events.js'
import type {EnginePort} from '../ports/engine.js'
import type {SweepResult} from '../sweep/run-sweep.js'
import {runSweepWorker, type StoredSweep} from '../sweep/study-sweep.js'
import type {WorkerRequest} from './request.js'
import type {BridgeHyperoptResult, HyperoptResult} from './result.js'
import {runHyperoptWorker} from './run-hyperopt.js'
import {showStudy} from './studies.js'

export type WorkerOutcome = {kind: 'sweep'; result: SweepResult} | {kind: 'hyperopt'; result: HyperoptResult; bridge: BridgeHyperoptResult}

/**
 * `tradai hyperopt worker`: joins a study of either kind. A hyperopt study gets `epochs` more
 * trials; a sweep's study (`strategy sweep --storage`) gets this process's share of its grid
 * points, and the worker prints the whole sweep once every point is done.
 */
export async function runStudyWorker(request: WorkerRequest & {sweepOutputDir: string}, engine: EnginePort, ctx: CoreContext): Promise<WorkerOutcome> {
  const detail = await showStudy({studiesDir: request.studiesDir, storage: request.storage, study: request.study}, engine, ctx)
  const sweep = (detail as {sweep?: StoredSweep}).sweep
  if (detail.engine !== 'sweep' || !sweep) return {kind: 'hyperopt', ...(await runHyperoptWorker({...request, problem: detail.problem}, engine, ctx))}
  for (const stage of ['data', 'trials']) ctx.onEvent({type: 'stage', stage, status: 'skip', message: 'a sweep study'})
  const {study, storage, studiesDir, strategiesDir, userDataDir, jobs, candleStore} = request
  return {
    kind: 'sweep',
    result: await runSweepWorker({study, storage, studiesDir, strategiesDir, userDataDir, outputDir: request.sweepOutputDir, jobs, candleStore}, sweep, engine, ctx),
  }
}
