import {existsSync} from 'node:fs'

import type {EnginePort} from '../ports/engine.js'
import {BugError, NotFoundError} from '../errors.js'
import type {CoreContext} from '../events.js'
import {validateStorageUrl, validateStudyName, type StudyLocation} from './request.js'
import type {TrialRow} from './result.js'
import {journalFile} from './study-lock.js'

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
  /** Every trial, unless one was asked for. */
  trialList?: TrialRow[]
  trial?: TrialRow & {paramsDetails: unknown; paramsNotOptimized: unknown}
}

function where(location: StudyLocation): {studiesDir: string; storage: string | null} {
  if (location.storage) validateStorageUrl(location.storage)
  return {studiesDir: location.studiesDir, storage: location.storage ?? null}
}

/** `tradai hyperopt list`: the studies of the journal folder (or of a database storage). */
export async function listStudies(location: StudyLocation, engine: EnginePort, ctx: CoreContext): Promise<StudyList> {
  if (!location.storage && !existsSync(location.studiesDir)) return {studies: []}
  const answer = await engine.run('hyperopt-studies', where(location), ctx)
  if (!('studies' in answer)) throw new BugError('The engine answered "hyperopt-studies" without a study with one study\'s detail.')
  // Both answers are open objects, so `in` cannot narrow the union: the check above did.
  return answer as StudyList
}

/** `tradai hyperopt show STUDY [--trial N]`. */
export async function showStudy(location: StudyLocation & {study: string; trial?: number}, engine: EnginePort, ctx: CoreContext): Promise<StudyDetail> {
  validateStudyName(location.study)
  if (!location.storage && !existsSync(journalFile(location.studiesDir, location.study))) {
    throw new NotFoundError(`No study ${location.study} in ${location.studiesDir}.`, {suggestions: ['`tradai hyperopt list` shows the studies; pass --storage for a database study.']})
  }

  const answer = await engine.run('hyperopt-studies', {...where(location), study: location.study, trial: location.trial ?? null}, ctx)
  if ('studies' in answer) throw new BugError(`The engine answered "hyperopt-studies" for study ${location.study} with a list.`)
  return answer
}
