import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {createServer, type Server, type Socket} from 'node:net'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {json, runCli} from '../helpers/cli.js'
import {schemaErrors} from '../helpers/json-schema.js'
import {waitFor} from '../helpers/processes.js'
import {fixtureUserData, STRATEGIES, tempDir} from '../helpers/paths.js'

/**
 * Isolation and liveness with real Freqtrade and Optuna: the engine (which runs user strategy
 * code) sees none of tradai's secrets, a run never hangs on a silent MLflow server, a run never
 * outlives its time limit, and the engine never outlives tradai, even when tradai is SIGKILLed.
 */
const DATA = ['--pairs', 'ETH/BTC', '--timerange', '20180115-20180118']

// Planted secrets: every kind of credential tradai can see.
const SECRETS = {
  MLFLOW_TRACKING_PASSWORD: 'mlflow-password-5ecret',
  MLFLOW_TRACKING_TOKEN: 'mlflow-token-5ecret',
  MLFLOW_TRACKING_USERNAME: 'mlflow-user-5ecret',
  TRADAI_MLFLOW_TRACKING_URI: 'http://uri-user:uri-pass-5ecret@127.0.0.1:9',
  FREQTRADE__EXCHANGE__KEY: 'exchange-key-5ecret',
  FREQTRADE__EXCHANGE__SECRET: 'exchange-secret-5ecret',
  BINANCE_API_KEY: 'binance-key-5ecret',
  MY_SERVICE_SECRET: 'arbitrary-5ecret-value',
  TRADAI_GATE_KEY: 'gate-key-5ecret-0123456789',
}
const VALUES = Object.values(SECRETS).concat(['uri-pass-5ecret'])

/** A strategy (from the sample) whose entry logic first runs `code`: Python, indented 8. */
function strategyWith(dir: string, className: string, code: string): void {
  const source = readFileSync(path.join(STRATEGIES, 'sample_rsi_strategy.py'), 'utf8')
    .replaceAll('SampleRsiStrategy', className)
    .replace(
      '    def populate_entry_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:\n',
      `    def populate_entry_trend(self, dataframe: DataFrame, metadata: dict) -> DataFrame:\n${code}`,
    )
  writeFileSync(path.join(dir, `${className.toLowerCase()}.py`), source)
}

/** Pids of live processes started by the tradai process `parent` (the engine names it in its environment). */
function enginesOf(parent: number): number[] {
  const marker = `TRADAI_ENGINE_PARENT_PID=${parent}\0`
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        return readFileSync(`/proc/${entry}/environ`, 'latin1').includes(marker)
      } catch {
        return false
      }
    })
    .map(Number)
}

describe('the engine is isolated from secrets and never hangs or outlives tradai', {timeout: 420_000}, () => {
  let strategies: string
  let userData: string
  let dumps: string
  let marks: string
  let silent: Server
  let silentUrl: string
  const sockets = new Set<Socket>()
  let connections = 0
  const base = () => ['--strategy-path', strategies, '--user-data-dir', userData]

  beforeAll(async () => {
    strategies = tempDir('tradai-trust-rt-')
    userData = fixtureUserData()
    dumps = tempDir('tradai-environ-')
    marks = tempDir('tradai-marks-')
    strategyWith(
      strategies,
      'EnvironDumpStrategy',
      `        import json, os\n        with open(os.path.join(${JSON.stringify(dumps)}, f"environ-{os.getpid()}.json"), "w") as fh:\n            json.dump(dict(os.environ), fh)\n`,
    )
    strategyWith(
      strategies,
      'EndlessLoopStrategy',
      `        import os, time\n        open(os.path.join(${JSON.stringify(marks)}, f"looping-{os.getpid()}"), "w").close()\n        while True:\n            time.sleep(0.01)\n`,
    )
    // Accepts every connection, never answers a byte.
    silent = createServer((socket) => {
      connections++
      sockets.add(socket)
      socket.on('close', () => sockets.delete(socket))
    })
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    silentUrl = `http://127.0.0.1:${(silent.address() as {port: number}).port}`
  })

  afterAll(async () => {
    for (const socket of sockets) socket.destroy()
    await new Promise((resolve) => silent?.close(resolve))
  })

  const environDumps = () => readdirSync(dumps).map((file) => ({file, text: readFileSync(path.join(dumps, file), 'utf8')}))

  it('a strategy dumping os.environ during a backtest finds none of the planted secrets; none reach stdout, stderr or the run folder', async () => {
    const result = await runCli(['strategy', 'backtest', '--strategy', 'EnvironDumpStrategy', ...DATA, ...base(), '--no-track', '--json', '--verbose'], {env: SECRETS})
    expect(result.code, result.stderr).toBe(0)
    const found = environDumps()
    expect(found.length).toBeGreaterThan(0)
    for (const {text} of found) {
      const environ = JSON.parse(text) as Record<string, string>
      expect(environ.PATH).toBeTruthy()
      for (const name of Object.keys(SECRETS)) expect(environ[name], name).toBeUndefined()
      for (const value of VALUES) expect(text).not.toContain(value)
    }

    const runDir = json<{runDir: string}>(result).runDir
    const folder = readdirSync(runDir, {recursive: true, withFileTypes: true})
      .filter((entry) => entry.isFile())
      .map((entry) => readFileSync(path.join(entry.parentPath, entry.name), 'latin1'))
      .join('\n')
    for (const value of VALUES) {
      expect(result.stdout).not.toContain(value)
      expect(result.stderr).not.toContain(value)
      expect(folder).not.toContain(value)
    }
  })

  it('a --jobs 2 hyperopt: neither the engine nor its forked worker sees a planted secret', async () => {
    for (const file of readdirSync(dumps)) writeFileSync(path.join(dumps, file), '')
    const result = await runCli(
      [
        'hyperopt',
        'run',
        '--strategy',
        'EnvironDumpStrategy',
        ...DATA,
        ...base(),
        '--studies-dir',
        tempDir('tradai-studies-'),
        '--spaces',
        'buy',
        '--epochs',
        '4',
        '--jobs',
        '2',
        '--no-track',
        '--json',
      ],
      {env: SECRETS},
    )
    expect(result.code, result.stderr).toBe(0)
    const found = environDumps().filter((dump) => dump.text)
    expect(found.length, 'the parent and the forked worker each ran trials').toBeGreaterThanOrEqual(2)
    for (const {text} of found) for (const value of VALUES) expect(text).not.toContain(value)
    for (const value of VALUES) expect(result.stdout + result.stderr).not.toContain(value)
  })

  it('a tracked backtest against an MLflow that accepts and never answers exits 0 after the request timeout, run queued', async () => {
    const result = await runCli(['strategy', 'backtest', '--strategy', 'SampleRsiStrategy', ...DATA, '--user-data-dir', userData, '--json'], {
      env: {TRADAI_MLFLOW_TRACKING_URI: silentUrl, TRADAI_TRACKING_TIMEOUT: '2'},
    })
    expect(result.code, result.stderr).toBe(0)
    const tracking = json<{tracking: {status: string; reason: string; outboxEntry: string}}>(result).tracking
    expect(schemaErrors('tracking-outcome', tracking)).toEqual([])
    expect(tracking).toMatchObject({status: 'queued', reason: expect.stringMatching(/did not answer in time/)})
    expect(existsSync(tracking.outboxEntry)).toBe(true)
    expect(connections, 'tradai did reach the silent server').toBeGreaterThan(0)
  })

  // 45 s: the byte-compiled engine reaches the loop in 3-8 s, so five times that on a loaded machine;
  // the marker proves it did (a limit hit before the loop fails the test, not passes it).
  it('a strategy looping forever is stopped at --timeout: exit 3 naming the limit, no engine left', {timeout: 600_000}, async () => {
    let pid = 0
    const result = await runCli(['strategy', 'backtest', '--strategy', 'EndlessLoopStrategy', ...DATA, ...base(), '--no-track', '--timeout', '45s', '--json'], {
      onSpawn: (child) => (pid = child.pid!),
    })
    expect(result.code, result.stderr).toBe(3)
    expect(schemaErrors('error', json(result))).toEqual([])
    const error = json<{error: {code: string; message: string}}>(result).error
    expect(error.code).toBe('ENGINE_TIMEOUT')
    expect(error.message).toMatch(/The backtest was stopped after 45 s: it reached its time limit \(--timeout 45s\)/)
    expect(readdirSync(marks).length, 'the strategy was running its loop when stopped').toBeGreaterThan(0)
    expect(enginesOf(pid)).toEqual([])

    const malformed = await runCli(['strategy', 'backtest', '--strategy', 'SampleRsiStrategy', ...DATA, '--timeout', 'soon', '--no-track'])
    expect(malformed.code).toBe(2)
    expect(malformed.stderr).toContain('Malformed duration "soon" (--timeout)')
  })

  it('Ctrl-C (SIGINT) during a backtest: exit 130, its run folder marked interrupted with the error, no engine left', async () => {
    for (const file of readdirSync(marks)) writeFileSync(path.join(marks, file), '')
    const before = new Set(readdirSync(marks))
    const output = tempDir('tradai-interrupted-')
    let child: {pid?: number; kill: (signal: NodeJS.Signals) => boolean} | undefined
    const run = runCli(['strategy', 'backtest', '--strategy', 'EndlessLoopStrategy', ...DATA, ...base(), '--output-dir', output, '--no-track', '--json'], {
      onSpawn: (spawned) => (child = spawned),
    })
    const looping = await waitFor(() => readdirSync(marks).some((file) => !before.has(file)), 240_000, 200)
    expect(looping, 'the engine reached the endless loop').toBe(true)
    const [folder] = readdirSync(output)
    const statusFile = path.join(output, folder!, 'run-status.json')
    expect(JSON.parse(readFileSync(statusFile, 'utf8'))).toMatchObject({status: 'running', endedAt: null})
    child!.kill('SIGINT')
    const result = await run
    expect(result.code, result.stderr).toBe(130)
    expect(JSON.parse(readFileSync(statusFile, 'utf8'))).toMatchObject({status: 'interrupted', endedAt: expect.any(String), error: {exitCode: 130}})
    expect(enginesOf(child!.pid!)).toEqual([])
  })

  for (const [label, args, loopers] of [
    ['a backtest', ['strategy', 'backtest', '--strategy', 'EndlessLoopStrategy', ...DATA, '--no-track'], 1],
    ['a --jobs 2 hyperopt', ['hyperopt', 'run', '--strategy', 'EndlessLoopStrategy', ...DATA, '--spaces', 'buy', '--epochs', '4', '--jobs', '2', '--no-track'], 2],
  ] as const) {
    it(`SIGKILL of tradai during ${label}: no engine process remains after a few seconds`, async () => {
      for (const file of readdirSync(marks)) writeFileSync(path.join(marks, file), '')
      const before = new Set(readdirSync(marks))
      let child: {pid?: number; kill: (signal: NodeJS.Signals) => boolean} | undefined
      const run = runCli([...args, ...base(), ...(label.includes('hyperopt') ? ['--studies-dir', tempDir('tradai-studies-')] : [])], {onSpawn: (spawned) => (child = spawned)})
      const looping = await waitFor(() => readdirSync(marks).filter((file) => !before.has(file)).length >= loopers, 240_000, 200)
      expect(looping, `${loopers} engine process(es) reached the endless loop`).toBe(true)
      const pid = child!.pid!
      expect(enginesOf(pid).length).toBeGreaterThanOrEqual(loopers)
      child!.kill('SIGKILL')
      const result = await run
      expect(result.signal).toBe('SIGKILL')
      const gone = await waitFor(() => enginesOf(pid).length === 0, 15_000, 200)
      expect(gone, `engine processes left: ${enginesOf(pid).join(', ')}`).toBe(true)
    })
  }
})
