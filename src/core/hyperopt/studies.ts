import {existsSync} from 'node:fs'
import path from 'node:path'

import type {EnginePort} from '../ports/engine.js'
import {BugError, NotFoundError, UsageError} from '../errors.js'
import type {CoreContext} from '../events.js'
import {validateStorageUrl, validateStudyName, type StudyLocation} from './request.js'
import type {TrialRow} from './result.js'
import {journalFile} from './study-lock.js'
import {selectTrials, validateTrialSelection, type TrialSelection, type TrialSelectionRequest} from './trial-selection.js'

/** Where studies are: Optuna's (journal folder or a database) and Freqtrade's own hyperopt results (.fthypt files). */
export interface StudiesLocation extends StudyLocation {
  /** <userDataDir>/hyperopt_results: where `hyperopt run --engine freqtrade` leaves its results files. */
  resultsDir?: string
}

/** Freqtrade's hyperopt results folder of a user_data folder (Freqtrade's own layout). */
export function freqtradeResultsDir(userDataDir: string): string {
  return path.join(userDataDir, 'hyperopt_results')
}

export interface StudySummary {
  study: string
  engine: string
  strategy: string | null
  spaces: string[] | null
  loss: string | null
  objectives: string[] | null
  directions: string[]
  trials: number
  completedTrials: number
  failedTrials: number
  runningTrials: number
  bestLoss: number | null
  lastUpdate: string | null
  storage: string
}

export interface StudyList {
  studies: StudySummary[]
}

export interface StudyDetail extends StudySummary {
  problem: Record<string, unknown> | null
  bestTrial: TrialRow | null
  paretoFront: TrialRow[] | null
  /** Every trial (or those --filter / --sort-by / --top chose), unless one was asked for. */
  trialList?: TrialRow[]
  /** How trialList was chosen (with --sort-by, --top or --filter). */
  selection?: TrialSelection
  trial?: TrialRow & {paramsDetails: unknown; paramsNotOptimized: unknown}
}

function where(location: StudiesLocation): {studiesDir: string; storage: string | null; resultsDir: string | null} {
  if (location.storage) validateStorageUrl(location.storage)
  return {studiesDir: location.studiesDir, storage: location.storage ?? null, resultsDir: location.resultsDir ?? null}
}

/** `tradai hyperopt list`: the studies of the journal folder (or of a database storage). */
export async function listStudies(location: StudiesLocation, engine: EnginePort, ctx: CoreContext): Promise<StudyList> {
  if (!location.storage && !existsSync(location.studiesDir) && !(location.resultsDir && existsSync(location.resultsDir))) return {studies: []}
  const answer = await engine.run('hyperopt-studies', where(location), ctx)
  if (!('studies' in answer)) throw new BugError('The engine answered "hyperopt-studies" without a study with one study\'s detail.')
  // Both answers are open objects, so `in` cannot narrow the union: the check above did.
  return answer as StudyList
}

/** `tradai hyperopt show STUDY [--trial N | --sort-by FIELD --top N --filter EXPR]`, for both engines' studies. */
export async function showStudy(location: StudiesLocation & {study: string; trial?: number} & TrialSelectionRequest, engine: EnginePort, ctx: CoreContext): Promise<StudyDetail> {
  validateStudyName(location.study)
  validateTrialSelection(location)
  const choosing = location.sortBy !== undefined || location.top !== undefined || (location.filter?.length ?? 0) > 0
  if (choosing && location.trial !== undefined) {
    throw new UsageError('--trial shows one trial; --sort-by, --top and --filter choose among all of them. Pass one or the other.')
  }

  const fthypt = location.resultsDir ? path.join(location.resultsDir, `${location.study}.fthypt`) : undefined
  if (!location.storage && !existsSync(journalFile(location.studiesDir, location.study)) && !(fthypt && existsSync(fthypt))) {
    throw new NotFoundError(`No study ${location.study} in ${location.studiesDir}${location.resultsDir ? ` nor ${location.resultsDir}` : ''}.`, {
      suggestions: ['`tradai hyperopt list` shows the studies; pass --storage for a database study, --user-data-dir for Freqtrade-engine runs.'],
    })
  }

  const answer = await engine.run('hyperopt-studies', {...where(location), study: location.study, trial: location.trial ?? null}, ctx)
  if ('studies' in answer) throw new BugError(`The engine answered "hyperopt-studies" for study ${location.study} with a list.`)
  if (!choosing || !answer.trialList) return answer
  const {rows, selection} = selectTrials(answer.trialList, location)
  return {...answer, trialList: rows, selection}
}
