import {Command, Flags, type Interfaces} from '@oclif/core'

import {loadConfig, type FlagValue, type ResolvedConfig} from '../core/config/load.js'
import {ExitCode, InterruptedError, toTradaiError, TradaiError, UsageError} from '../core/errors.js'
import type {CoreContext} from '../core/events.js'
import {secretsFromEnv} from '../core/redact.js'
import {knownSecrets} from '../core/tracking/secrets.js'
import type {TradaiConfig} from '../core/config/schema.js'
import type {PythonBridge} from '../engines/python/bridge.js'
import {openEngine} from '../engines/python/open-engine.js'
import {guardSecrets, installOutputGuard} from './output-guard.js'
import {createProgress, progressMode, type StageSpec} from './progress.js'
import {errorJson, errorText} from './render-error.js'
import type {ArcticStore} from '../core/data/arctic-store.js'
import {openCandleStore} from '../engines/arctic/open-arctic.js'

export type CommandFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof BaseCommand)['baseFlags'] & T['flags']>
export type CommandArgs<T extends typeof Command> = Interfaces.InferredArgs<T['args']>

/**
 * Every tradai command: `--json`, `--config`, `--verbose`; config loading with precedence;
 * one error renderer; SIGINT/SIGTERM abort the running core call (which stops the engine's
 * whole process tree) and exit 130/143.
 */
export abstract class BaseCommand<T extends typeof Command> extends Command {
  static override enableJsonFlag = true

  static override baseFlags = {
    config: Flags.string({
      description: 'Read this config file instead of searching for tradai.config.* / .tradairc*.',
      env: 'TRADAI_CONFIG',
      helpGroup: 'GLOBAL',
    }),
    verbose: Flags.boolean({
      description: 'Show engine logs and stack traces.',
      helpGroup: 'GLOBAL',
    }),
  }

  protected flags!: CommandFlags<T>
  protected args!: CommandArgs<T>
  private readonly abort = new AbortController()
  private coreRunning = false

  override async init(): Promise<void> {
    // Before anything can print: no secret from the environment reaches stdout or stderr.
    installOutputGuard(secretsFromEnv(process.env))
    await super.init()
    this.listenForSignals()
    const ctor = this.ctor as typeof BaseCommand
    const {args, flags} = await this.parse({
      flags: ctor.flags,
      baseFlags: ctor.baseFlags,
      enableJsonFlag: ctor.enableJsonFlag,
      args: ctor.args,
      strict: ctor.strict,
    })
    this.flags = flags as CommandFlags<T>
    this.args = args as CommandArgs<T>
  }

  /** Loads configuration with these flag values layered on top (undefined = not given). */
  protected async resolveConfig(flagValues: Record<string, FlagValue | undefined> = {}): Promise<ResolvedConfig> {
    const resolved = await loadConfig({cwd: process.cwd(), env: process.env, configPath: this.flags.config, flags: flagValues})
    guardSecrets(knownSecrets(resolved.config, process.env))
    return resolved
  }

  /** Runs one core call with progress on stderr (none under --json) and signal-driven abort. */
  protected async runCore<R>(stages: StageSpec[], work: (ctx: CoreContext) => Promise<R>): Promise<R> {
    const progress = await createProgress(progressMode({json: this.jsonEnabled(), env: process.env, isTTY: Boolean(process.stderr.isTTY)}), stages, Boolean(this.flags.verbose))
    this.coreRunning = true
    try {
      const result = await work({signal: this.abort.signal, onEvent: (event) => progress.onEvent(event)})
      await progress.finish()
      return result
    } catch (error) {
      await progress.finish(error)
      throw this.abort.signal.aborted ? (this.abort.signal.reason as Error) : error
    } finally {
      this.coreRunning = false
    }
  }

  /** The Python engine for this command's configuration (installed on first use when engine.autoSetup). */
  protected async openEngine(config: TradaiConfig, ctx: CoreContext): Promise<PythonBridge> {
    return openEngine({config, env: process.env, cwd: process.cwd()}, ctx)
  }

  /** Where a run's candles come from (config data.source): the ArcticDB store, installed on first use, or none for files. */
  protected async openCandleStore(config: TradaiConfig, ctx: CoreContext): Promise<ArcticStore | undefined> {
    return openCandleStore({config, env: process.env, cwd: process.cwd()}, ctx)
  }

  /**
   * The one way a check ends (lint, challenge, credentials test, doctor): the whole report on
   * stdout even when the check failed (`human`, or under --json the document), then, when it
   * failed, the reason on stderr and exit 1. Under --json and passing, oclif prints what `run` returns.
   */
  protected finishCheck<R>(report: R, human: string, failure: TradaiError | undefined): R {
    if (!this.jsonEnabled()) process.stdout.write(human)
    else if (failure) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`)
    if (failure) {
      process.stderr.write(errorText(failure, false))
      this.exit(ExitCode.checkFailed)
    }

    return report
  }

  protected get showStack(): boolean {
    return Boolean(this.flags?.verbose) || Boolean(process.env.DEBUG)
  }

  override async catch(raw: Error & {oclif?: {exit?: number}; code?: string}): Promise<never> {
    // oclif's own exit (this.exit, --help, --version) passes through untouched.
    if (raw.code === 'EEXIT') throw raw
    const error = raw instanceof TradaiError ? raw : (fromOclifError(raw) ?? toTradaiError(raw))
    if (this.jsonEnabled()) process.stdout.write(`${JSON.stringify(errorJson(error), null, 2)}\n`)
    else process.stderr.write(errorText(error, this.showStack))
    this.exit(error.exitCode)
  }

  protected listenForSignals(): void {
    const onSignal = (signal: 'SIGINT' | 'SIGTERM') => {
      const error = new InterruptedError(signal)
      // A second signal, or one before any engine runs: leave now.
      if (!this.coreRunning || this.abort.signal.aborted) {
        process.stderr.write(`\n${error.message.replace('; stopped the engine', '')}\n`)
        process.exit(error.exitCode)
      }

      this.abort.abort(error)
    }

    process.on('SIGINT', () => onSignal('SIGINT'))
    process.on('SIGTERM', () => onSignal('SIGTERM'))
  }
}

/** oclif's parse errors (unknown flag, missing argument, bad option) are usage errors: exit 2. */
function fromOclifError(error: Error & {oclif?: {exit?: number}}): TradaiError | undefined {
  const parseError = /Parse|Flag|Arg|Nonexistent|Unexpected argument/i.test(error.constructor?.name ?? '') || error.oclif?.exit === 2
  if (!parseError) return undefined
  return new UsageError(error.message.replace(/^The following errors? occurred:\s*/, '').replace(/\n\s*See more help with --help$/, ''), {
    suggestions: ['Run the command with --help to see its flags.'],
  })
}
