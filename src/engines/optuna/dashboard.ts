import {existsSync} from 'node:fs'
import net from 'node:net'
import path from 'node:path'

import {spawnTree} from '../python/process-tree.js'
import {EngineError, NotFoundError} from '../../core/errors.js'
import type {CoreContext} from '../../core/events.js'
import {validateStorageUrl, validateStudyName, type StudyLocation} from '../../core/hyperopt/request.js'
import {journalFile} from '../../core/hyperopt/study-lock.js'

export interface DashboardRequest extends StudyLocation {
  study: string
  /** The engine venv: optuna-dashboard is installed there. */
  engineDir: string
  port: number
  env: NodeJS.ProcessEnv
}

const HOST = '127.0.0.1'

/**
 * Serves optuna-dashboard on the study's storage at 127.0.0.1 until the signal aborts (Ctrl-C).
 * `onReady` gets the URL once the server answers.
 */
export async function serveDashboard(request: DashboardRequest, ctx: CoreContext, onReady: (url: string) => void): Promise<never> {
  validateStudyName(request.study)
  let storage: string
  if (request.storage) {
    validateStorageUrl(request.storage)
    storage = request.storage.replace(/^postgres:/, 'postgresql:')
  } else {
    storage = journalFile(request.studiesDir, request.study)
    if (!existsSync(storage)) throw new NotFoundError(`No study ${request.study} in ${request.studiesDir}.`, {suggestions: ['`tradai hyperopt list` shows the studies.']})
  }

  const binary = path.join(request.engineDir, 'bin', 'optuna-dashboard')
  if (!existsSync(binary)) throw new EngineError(`optuna-dashboard is not installed in ${request.engineDir}.`, {suggestions: ['Run `tradai engine setup`.']})
  const url = `http://${HOST}:${request.port}/dashboard/studies`
  let ready = false
  const poll = setInterval(async () => {
    if (ready || !(await answers(request.port))) return
    ready = true
    clearInterval(poll)
    onReady(url)
  }, 250)
  try {
    const outcome = await spawnTree(binary, ['--host', HOST, '--port', String(request.port), storage], {
      env: request.env,
      signal: ctx.signal,
      onStderrLine: (line) => ctx.onEvent({type: 'log', level: 'debug', message: line}),
      onStdoutLine: (line) => ctx.onEvent({type: 'log', level: 'debug', message: line}),
    })
    throw new EngineError(`optuna-dashboard stopped (exit ${outcome.exitCode ?? outcome.signal}).\n${outcome.stderrTail.slice(-8).join('\n')}`, {
      suggestions: [`Is port ${request.port} free? Pass --port to use another.`],
    })
  } finally {
    clearInterval(poll)
  }
}

async function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({host: HOST, port}, () => {
      socket.end()
      resolve(true)
    })
    socket.on('error', () => resolve(false))
  })
}
