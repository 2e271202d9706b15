import {loadConfig, type FlagValue, type ResolvedConfig} from '../core/config/load.js'
import type {TradaiConfig} from '../core/config/schema.js'
import type {CoreContext} from '../core/events.js'
import {openCandleStore} from '../engines/arctic/open-arctic.js'
import {mlflowClient} from '../engines/mlflow/connect.js'
import {openEngine} from '../engines/python/open-engine.js'
import type {JobManager} from './jobs/job-manager.js'
import {BODY_CONFIG_KEYS} from './schemas.js'

/** One request log line's fields, or a server event; written as one JSON line on stderr. */
export type LogLine = Record<string, unknown>

/** What every route uses: the server's configuration, environment, engine and registry. */
export interface ServiceOptions {
  cwd: string
  env: Record<string, string | undefined>
  /** `--config PATH` the server was started with. */
  configPath?: string
  version: string
  /** The configuration the server started with (server.*, folders). */
  config: TradaiConfig
  jobs: JobManager
  log: (line: LogLine) => void
}

export class Service {
  constructor(readonly options: ServiceOptions) {}

  get jobs(): JobManager {
    return this.options.jobs
  }

  get env(): Record<string, string | undefined> {
    return this.options.env
  }

  get version(): string {
    return this.options.version
  }

  /**
   * The configuration one request runs with: the server's (file, environment, defaults) with
   * the request's fields layered on top like flags, so precedence and validation are the CLI's.
   */
  async config(fields: Record<string, unknown> = {}): Promise<ResolvedConfig> {
    const flags: Record<string, FlagValue | undefined> = {}
    for (const [key, value] of Object.entries(fields))
      if (value !== undefined) flags[BODY_CONFIG_KEYS[key] ?? key] = {value, flag: `body.${key.replace(/^challenge\.(monteCarlo\.)?/, '')}`}
    return loadConfig({cwd: this.options.cwd, env: this.options.env, configPath: this.options.configPath, flags})
  }

  engine(config: TradaiConfig, ctx: CoreContext) {
    return openEngine({config, env: this.options.env, cwd: this.options.cwd}, ctx)
  }

  /** The candle store of a run (config data.source): ArcticDB, installed on first use, or none for files. */
  candleStore(config: TradaiConfig, ctx: CoreContext) {
    return openCandleStore({config, env: this.options.env, cwd: this.options.cwd}, ctx)
  }

  registry(config: TradaiConfig, options?: Parameters<typeof mlflowClient>[1]) {
    return mlflowClient(config.tracking, options)
  }
}

/** The events of a synchronous route go nowhere: its answer is the document. */
export function requestContext(signal: AbortSignal): CoreContext {
  return {signal, onEvent() {}}
}
