import {Flags} from '@oclif/core'
import {availableParallelism} from 'node:os'
import path from 'node:path'

import {BaseCommand} from '../cli/base-command.js'
import {ExitCode, UsageError} from '../core/errors.js'
import {buildApp} from '../server/app.js'
import {isLoopback} from '../server/auth.js'
import {JobManager} from '../server/jobs/job-manager.js'
import {JobStore} from '../server/jobs/job-store.js'
import {openStreams} from '../server/routes/jobs.js'
import {Service, type LogLine} from '../server/service.js'

/** One JSON line on stderr per request or server event (stdout stays empty: there is no result document). */
function log(line: LogLine): void {
  process.stderr.write(`${JSON.stringify({time: new Date().toISOString(), ...line})}\n`)
}

export default class Serve extends BaseCommand<typeof Serve> {
  static override enableJsonFlag = false
  static override summary = 'Run the HTTP API over the same core as the CLI (the strategy service).'
  static override description =
    'Serves every operation under /v1 (strategies, backtests, sweeps, walk-forwards, hyperopt studies, data, config, models, registrations, challenges, promotions, credentials, shadow sessions), /health, /ready and /openapi.json. Long work (backtests, sweeps, walk-forwards, hyperopt runs, challenges, shadow starts) runs as jobs in a bounded pool (server.maxConcurrentJobs) kept under .tradai/jobs. A bearer token (TRADAI_API_TOKEN) guards every route but /health; listening on a non-loopback address without one is refused (exit 2). SIGTERM/SIGINT: stop accepting, give running jobs server.shutdownGraceSeconds to finish, stop the rest; exit 0, or 143/130 when jobs had to be stopped.'

  static override examples = ['TRADAI_API_TOKEN=change-me <%= config.bin %> serve', '<%= config.bin %> serve --host 127.0.0.1 --port 8080']

  static override flags = {
    host: Flags.string({description: 'Address to listen on (config server.host, env TRADAI_SERVER_HOST / STRATEGY_SERVICE_HOST; default 0.0.0.0).'}),
    port: Flags.integer({description: 'Port (config server.port, env TRADAI_SERVER_PORT / STRATEGY_SERVICE_PORT; default 8003; 0 = any free port).', min: 0, max: 65535}),
  }

  private stopServer?: (signal: 'SIGINT' | 'SIGTERM') => void

  async run(): Promise<void> {
    const {host, port} = this.flags
    // Port 0 (any free port, for tests) is outside the config schema's range: it stays a flag.
    const resolved = await this.resolveConfig({
      'server.host': host === undefined ? undefined : {value: host, flag: '--host'},
      'server.port': port === undefined || port === 0 ? undefined : {value: port, flag: '--port'},
    })
    const {config} = resolved
    const server = config.server
    if (!server.token && !isLoopback(server.host)) {
      throw new UsageError(`Refusing to listen on ${server.host} without an API token: anyone who can reach it could run and promote strategies.`, {
        suggestions: ['Set TRADAI_API_TOKEN (config server.token), or listen on loopback only: --host 127.0.0.1.'],
      })
    }

    const jobs = new JobManager(new JobStore(server.jobsDir ?? path.join(path.dirname(config.engine.dir), 'jobs')), server.maxConcurrentJobs ?? availableParallelism())
    const restored = await jobs.init()
    const service = new Service({cwd: process.cwd(), env: process.env, configPath: this.flags.config, version: this.config.version, config, jobs, log})
    const app = await buildApp(service, {token: server.token, bodyLimit: server.bodyLimit})
    const address = await app.listen({host: server.host, port: port === 0 ? 0 : server.port})
    log({
      msg: 'listening',
      url: address,
      auth: Boolean(server.token),
      maxConcurrentJobs: server.maxConcurrentJobs ?? availableParallelism(),
      jobsRestored: restored.restored,
      jobsInterrupted: restored.interrupted,
    })

    const exitCode = await new Promise<number>((resolve) => {
      let stopping = false
      this.stopServer = (signal) => {
        if (stopping) {
          // A second signal: do not wait for the grace period (jobs are already being stopped).
          log({msg: 'second signal: stopping now', signal})
          return
        }

        stopping = true
        log({msg: 'shutting down', signal, graceSeconds: server.shutdownGraceSeconds, ...jobs.counts})
        const closed = app.close()
        void (async () => {
          const {stopped} = await jobs.shutdown(server.shutdownGraceSeconds * 1000, signal)
          for (const stream of openStreams) stream.end()
          await closed
          log({msg: 'stopped', jobsStopped: stopped})
          resolve(stopped > 0 ? (signal === 'SIGINT' ? ExitCode.interrupted : ExitCode.terminated) : ExitCode.ok)
        })()
      }
    })
    this.exit(exitCode)
  }

  /** Signals drain the server (see the description) instead of aborting one core call. */
  protected override listenForSignals(): void {
    const onSignal = (signal: 'SIGINT' | 'SIGTERM') => {
      if (this.stopServer) this.stopServer(signal)
      else process.exit(signal === 'SIGINT' ? ExitCode.interrupted : ExitCode.terminated)
    }

    process.on('SIGINT', () => onSignal('SIGINT'))
    process.on('SIGTERM', () => onSignal('SIGTERM'))
  }
}
