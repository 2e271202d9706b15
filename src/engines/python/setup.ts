import {readFileSync, rmSync, writeFileSync} from 'node:fs'
import path from 'node:path'

import {EngineError} from '../../core/errors.js'
import {inStage, type CoreContext} from '../../core/events.js'
import {PythonBridge} from './bridge.js'
import {engineLocation, engineState, lockHash, MIN_PYTHON, PYTHON_PACKAGE_DIR, REQUIREMENTS_DEV_LOCK, REQUIREMENTS_LOCK, UV_VERSION, type EngineLocation, type EngineStamp} from './engine-env.js'
import {spawnTree} from './process-tree.js'

export interface EngineSetupRequest {
  dir: string
  /** The interpreter that creates the venv (python3 by default). */
  basePython?: string
  /** Reinstall even when the engine is already up to date. */
  force?: boolean
  /** Also install the Python suite's tools (requirements-dev.lock: pytest, ruff, mypy). */
  dev?: boolean
  env: NodeJS.ProcessEnv
  cwd: string
}

export interface EngineSetupResult {
  dir: string
  python: string
  changed: boolean
  packages: Record<string, string | null>
}

export const ENGINE_SETUP_STAGES = [
  {id: 'python', title: 'Find Python ≥ 3.11'},
  {id: 'venv', title: 'Create the virtual environment'},
  {id: 'installer', title: `Install the installer (uv ${UV_VERSION})`},
  {id: 'packages', title: 'Install Freqtrade, Optuna and MLflow (pinned)'},
  {id: 'verify', title: 'Verify the engine'},
  {id: 'dev', title: 'Install the Python suite\'s tools (pytest, ruff, mypy; --dev)'},
]

/**
 * A virtual environment tradai installs from one of its pinned locks: the engine, or a
 * side environment whose packages conflict with the engine's (ArcticDB needs pandas<3).
 */
export interface PythonEnvSpec {
  lock: string
  /** The setup stages, with the ids of ENGINE_SETUP_STAGES (only the titles differ). */
  stages: Array<{id: string; title: string}>
  /** Imports the installed packages and reports their versions (written to the stamp). */
  verify(location: EngineLocation, request: EngineSetupRequest, ctx: CoreContext): Promise<Record<string, string | null>>
}

export const ENGINE_ENV: PythonEnvSpec = {
  lock: REQUIREMENTS_LOCK,
  stages: ENGINE_SETUP_STAGES,
  async verify(location, request, ctx) {
    await compileEnginePackage(location.python, request, ctx)
    const versions = await new PythonBridge(location, request.env, request.cwd).run('versions', {}, ctx)
    return versions.packages
  },
}

/** Creates or repairs the engine's virtual environment; idempotent (a no-op when up to date). */
export async function setupEngine(request: EngineSetupRequest, ctx: CoreContext): Promise<EngineSetupResult> {
  const result = await setupPythonEnv(ENGINE_ENV, request, ctx)
  // Also when the venv was up to date: the package may have changed since (current files are skipped).
  await compileEnginePackage(result.python, request, ctx)
  return result
}

/**
 * Byte-compiles tradai's own engine package (python/tradai_engine, outside the venv), current
 * files skipped: with PYTHONDONTWRITEBYTECODE=1 every engine start would otherwise compile the
 * lint modules and the bridge from source (about half of a `strategy list`'s Python time). An
 * edited file is simply compiled in memory until the next setup (Python checks each .pyc's
 * source mtime). A read-only checkout is fine: nothing fails, the files are compiled per start.
 */
async function compileEnginePackage(python: string, request: EngineSetupRequest, ctx: CoreContext): Promise<void> {
  const script = 'import compileall, sys; compileall.compile_dir(sys.argv[1], quiet=2, workers=0)'
  const outcome = await spawnTree(python, ['-c', script, path.join(PYTHON_PACKAGE_DIR, 'tradai_engine')], {env: request.env, cwd: request.cwd, signal: ctx.signal})
  if (outcome.exitCode !== 0) ctx.onEvent({type: 'log', level: 'debug', message: `byte-compiling tradai_engine exited with ${outcome.exitCode}`})
}

/** Creates or repairs a virtual environment from its pinned lock; a no-op when up to date. */
export async function setupPythonEnv(spec: PythonEnvSpec, request: EngineSetupRequest, ctx: CoreContext): Promise<EngineSetupResult> {
  const location = engineLocation(request.dir)
  const state = engineState(location, spec.lock)
  const devWanted = request.dev === true
  const ready = state.status === 'ready' && !request.force
  const devCurrent = !devWanted || (state.status === 'ready' && state.stamp.devLockHash === lockHash(REQUIREMENTS_DEV_LOCK))
  if (ready && devCurrent) {
    for (const stage of spec.stages) ctx.onEvent({type: 'stage', stage: stage.id, status: 'skip'})
    return {dir: location.dir, python: location.python, changed: false, packages: state.stamp.packages}
  }

  const run = async (stage: string, command: string, args: string[], onLine?: (line: string) => void) => {
    const outcome = await spawnTree(command, args, {
      env: request.env,
      cwd: request.cwd,
      signal: ctx.signal,
      onStderrLine(line) {
        onLine?.(line)
        ctx.onEvent({type: 'log', level: 'debug', message: line})
      },
      onStdoutLine: (line) => ctx.onEvent({type: 'log', level: 'debug', message: line}),
    })
    if (outcome.exitCode !== 0) {
      throw new EngineError(`Engine setup failed at "${stage}": ${command} ${args.join(' ')} exited with ${outcome.exitCode}.\n${outcome.stderrTail.slice(-12).join('\n')}`, {
        suggestions: ['Check that PyPI is reachable, then run `tradai engine setup --force`.'],
      })
    }
  }

  // The engine is up to date but its dev tools are not: only the last stage runs.
  if (ready) {
    for (const stage of spec.stages.filter((entry) => entry.id !== 'dev')) ctx.onEvent({type: 'stage', stage: stage.id, status: 'skip'})
    await installDevTools(state.stamp)
    return {dir: location.dir, python: location.python, changed: true, packages: state.stamp.packages}
  }

  const basePython = request.basePython ?? 'python3'
  await inStage(ctx, 'python', async () => {
    const check = `import sys; sys.exit(0 if sys.version_info[:2] >= (${MIN_PYTHON.join(', ')}) else 1)`
    try {
      await run('python', basePython, ['-c', check])
    } catch (error) {
      if (ctx.signal.aborted) throw error
      throw new EngineError(`${basePython} is missing or older than Python ${MIN_PYTHON.join('.')}.`, {
        suggestions: ['Install Python 3.11+, or point TRADAI_PYTHON (config engine.python) at one.'],
      })
    }
  })

  await inStage(ctx, 'venv', async () => {
    // A half-made venv (interrupted setup) is rebuilt rather than trusted.
    if (state.status === 'missing' || request.force) rmSync(location.dir, {recursive: true, force: true})
    await run('venv', basePython, ['-m', 'venv', location.dir])
  })

  await inStage(ctx, 'installer', () => run('installer', location.python, ['-m', 'pip', 'install', '--quiet', `uv==${UV_VERSION}`]))

  // uv reports "Resolved 134 packages", "Prepared …", "Installed …": shown as the stage's progress.
  const uvStep = /^\s*(Resolved|Prepared|Installed|Audited|Uninstalled) (\d+) packages?/
  await inStage(ctx, 'packages', () =>
    run('packages', location.python, ['-m', 'uv', 'pip', 'install', '--python', location.python, '-r', spec.lock], (line) => {
      const step = uvStep.exec(line)
      if (step) ctx.onEvent({type: 'progress', stage: 'packages', current: Number(step[2]), message: `${step[1]!.toLowerCase()} packages`})
    }).then(() => compileSitePackages('packages')),
  )

  const packages = await inStage(ctx, 'verify', async () => {
    const versions = await spec.verify(location, request, ctx)
    const stamp: EngineStamp = {lockHash: lockHash(spec.lock), installedAt: new Date().toISOString(), packages: versions}
    writeFileSync(location.stampFile, `${JSON.stringify(stamp, null, 2)}\n`)
    return versions
  })
  if (devWanted) await installDevTools(JSON.parse(readFileSync(location.stampFile, 'utf8')) as EngineStamp)
  else if (spec.stages.some((stage) => stage.id === 'dev')) ctx.onEvent({type: 'stage', stage: 'dev', status: 'skip'})

  return {dir: location.dir, python: location.python, changed: true, packages}

  /**
   * Byte-compiles the venv's packages (what is current is skipped). uv does not by default, and
   * its --compile-bytecode skips a venv it finds complete; without .pyc files a machine with
   * PYTHONDONTWRITEBYTECODE=1 compiles Freqtrade, ccxt and scipy from source at every engine
   * start (13 s instead of 2.5 s for Freqtrade's backtesting import).
   */
  async function compileSitePackages(stage: string): Promise<void> {
    ctx.onEvent({type: 'log', level: 'info', message: 'byte-compiling the packages'})
    const script = "import compileall, sysconfig; compileall.compile_dir(sysconfig.get_paths()['purelib'], quiet=2, workers=0)"
    await run(stage, location.python, ['-c', script])
  }

  async function installDevTools(stamp: EngineStamp): Promise<void> {
    await inStage(ctx, 'dev', () => run('dev', location.python, ['-m', 'uv', 'pip', 'install', '--python', location.python, '-r', REQUIREMENTS_DEV_LOCK]).then(() => compileSitePackages('dev')))
    writeFileSync(location.stampFile, `${JSON.stringify({...stamp, devLockHash: lockHash(REQUIREMENTS_DEV_LOCK)}, null, 2)}\n`)
  }
}
