import type {ListrTaskWrapper} from 'listr2'

import type {CoreEvent, EventSink} from '../core/events.js'
import {ProgressThrottle} from './progress-throttle.js'

export interface StageSpec {
  id: string
  title: string
}

export interface ProgressRenderer {
  onEvent: EventSink
  /** Call once the core call settled; resolves when the renderer has drawn its last frame. */
  finish(error?: unknown): Promise<void>
}

export type ProgressMode = 'tree' | 'lines' | 'none'

/** listr2 tree on an interactive stderr; plain lines in CI or without a TTY; nothing under --json. */
export function progressMode(options: {json: boolean; env: NodeJS.ProcessEnv; isTTY: boolean}): ProgressMode {
  if (options.json) return 'none'
  if (options.env.CI || !options.isTTY || options.env.TERM === 'dumb') return 'lines'
  return 'tree'
}

export async function createProgress(mode: ProgressMode, stages: StageSpec[], verbose = false): Promise<ProgressRenderer> {
  // listr2 is only loaded for an interactive terminal: CI, pipes and --json never pay for it.
  if (mode === 'tree') return new TreeProgress(stages, verbose, await import('listr2'))
  if (mode === 'lines') return new LineProgress(stages, verbose)
  return {
    onEvent(event) {
      // Warnings still reach stderr under --json: stdout stays one JSON document.
      if (event.type === 'log' && event.level === 'warning') process.stderr.write(`Warning: ${event.message}\n`)
    },
    async finish() {},
  }
}

/** One line per stage start/end and throttled progress: readable in CI logs. */
class LineProgress implements ProgressRenderer {
  private readonly titles: Map<string, string>
  private readonly started = new Map<string, number>()
  private readonly throttle = new ProgressThrottle()

  constructor(
    stages: StageSpec[],
    private readonly verbose: boolean,
  ) {
    this.titles = new Map(stages.map((stage) => [stage.id, stage.title]))
  }

  onEvent(event: CoreEvent): void {
    const out = (line: string) => process.stderr.write(`${line}\n`)
    switch (event.type) {
      case 'stage': {
        const title = this.titles.get(event.stage) ?? event.stage
        if (event.status === 'start') {
          this.started.set(event.stage, Date.now())
          out(`- ${title}${event.message ? `: ${event.message}` : ''} ...`)
        } else {
          const seconds = ((Date.now() - (this.started.get(event.stage) ?? Date.now())) / 1000).toFixed(1)
          out(`${event.status === 'fail' ? '✖' : '✔'} ${title} ${event.status === 'skip' ? '(skipped)' : `(${seconds}s)`}`)
        }

        break
      }

      case 'progress': {
        // Counters are throttled (waiting ones more); a new step (a new message) is always shown.
        if (!this.throttle.shouldPrint(event, Date.now())) return
        out(`  ${this.titles.get(event.stage) ?? event.stage}: ${formatProgress(event)}`)
        break
      }

      case 'log': {
        if (event.level === 'debug' && !this.verbose) return
        if (event.level === 'info' && !this.verbose) return
        out(`  ${event.level === 'info' || event.level === 'debug' ? '' : `${event.level}: `}${event.message}`)
        break
      }
    }
  }

  async finish(): Promise<void> {}
}

interface Deferred {
  promise: Promise<void>
  resolve(): void
  reject(error: unknown): void
  task?: ListrTaskWrapper<unknown, never, never>
  skipped?: string
  settled?: boolean
}

function deferred(): Deferred {
  let resolve!: () => void
  let reject!: (error: unknown) => void
  const promise = new Promise<void>((res, rej) => {
    resolve = res
    reject = rej
  })
  // Stages after a failed one are never awaited; mark the rejection handled so Node doesn't crash.
  promise.catch(() => {})
  const self: Deferred = {
    promise,
    resolve() {
      self.settled = true
      resolve()
    },
    reject(error) {
      self.settled = true
      reject(error)
    },
  }
  return self
}

/**
 * A listr2 tree fed by core events. listr2 wants its tasks up front, so the command names the
 * stages it expects; each task waits for its stage's `done` (or `fail`) event.
 */
class TreeProgress implements ProgressRenderer {
  private readonly stages = new Map<string, Deferred>()
  private readonly run: Promise<unknown>
  private current?: string

  constructor(
    specs: StageSpec[],
    private readonly verbose: boolean,
    {Listr, ListrLogger, ProcessOutput}: typeof import('listr2'),
  ) {
    for (const spec of specs) this.stages.set(spec.id, deferred())
    const logger = new ListrLogger({useIcons: true, processOutput: new ProcessOutput(process.stderr, process.stderr)})
    const listr = new Listr(
      specs.map((spec) => ({
        title: spec.title,
        task: async (_ctx: unknown, task: ListrTaskWrapper<unknown, never, never>) => {
          const stage = this.stages.get(spec.id)!
          stage.task = task
          await stage.promise
          // listr2's skip(message) replaces the title: keep the stage's name in front of the reason.
          if (stage.skipped) task.skip(`${spec.title} (${stage.skipped})`)
        },
      })),
      {
        concurrent: false,
        exitOnError: true,
        registerSignalListeners: false,
        // listr2 falls back to a plain renderer when *stdout* is not a TTY (`tradai ... > file`);
        // we draw on stderr, which was checked to be a TTY, so keep the tree and point it there.
        fallbackRendererCondition: false,
        rendererOptions: {collapseSubtasks: false, logger},
        fallbackRendererOptions: {logger},
      } as never,
    )
    this.run = listr.run().catch(() => {})
  }

  onEvent(event: CoreEvent): void {
    if (event.type === 'stage') {
      const stage = this.stages.get(event.stage)
      if (!stage) return
      if (event.status === 'done') stage.resolve()
      if (event.status === 'skip') {
        stage.skipped = event.message ?? 'not needed'
        stage.resolve()
      }

      if (event.status === 'fail') stage.reject(new Error('failed'))
      if (event.status === 'start') this.current = event.stage
      if (event.status === 'start' && event.message && stage.task) stage.task.output = event.message
      return
    }

    if (event.type === 'progress') {
      const task = this.stages.get(event.stage)?.task
      if (task) task.output = formatProgress(event)
      return
    }

    if (event.level === 'warning' || event.level === 'error' || this.verbose) {
      const running = this.current === undefined ? undefined : this.stages.get(this.current)
      if (running?.task && !running.settled) running.task.output = event.message
      else process.stderr.write(`${event.message}\n`)
    }
  }

  async finish(error?: unknown): Promise<void> {
    // Stages the core never reached: failed with the error, or skipped when it succeeded.
    for (const stage of this.stages.values()) {
      if (stage.settled) continue
      if (error) stage.reject(error)
      else {
        stage.skipped = 'not reached'
        stage.resolve()
      }
    }

    await this.run
  }
}

function formatProgress(event: Extract<CoreEvent, {type: 'progress'}>): string {
  if (event.current === 0 && event.total === undefined && event.message) return event.message
  const count = event.total === undefined ? `${event.current}` : `${event.current}/${event.total}`
  const percent = event.total ? ` (${Math.floor((100 * event.current) / event.total)}%)` : ''
  return `${count}${percent}${event.message ? ` ${event.message}` : ''}`
}
