import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {json, runCli} from '../helpers/cli.js'
import {enginePython} from '../helpers/engine-python.js'
import {freePort} from '../helpers/mlflow-server.js'
import {tempDir} from '../helpers/paths.js'
import {processesIn, waitFor} from '../helpers/processes.js'

describe('hyperopt dashboard (real optuna-dashboard from the engine)', () => {
  it('serves the study on 127.0.0.1, prints the URL, and Ctrl-C stops it with its whole tree', async () => {
    const studies = tempDir('tradai-studies-')
    enginePython(
      `import sys, optuna
from optuna.storages.journal import JournalFileBackend, JournalStorage
study = optuna.create_study(study_name="dash", storage=JournalStorage(JournalFileBackend(sys.argv[1])))
study.optimize(lambda t: t.suggest_float("x", 0, 1) ** 2, n_trials=3)`,
      [path.join(studies, 'dash.log')],
    )
    const cwd = tempDir('tradai-dash-')
    const port = await freePort()
    let pid = 0
    let stdout = ''
    const running = runCli(['hyperopt', 'dashboard', 'dash', '--studies-dir', studies, '--port', String(port)], {
      cwd,
      onSpawn(child) {
        pid = child.pid!
        child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
      },
    })
    expect(await waitFor(() => stdout.includes('http://'), 120_000, 200)).toBe(true)
    const url = /http:\/\/\S+/.exec(stdout)![0]
    expect(url).toBe(`http://127.0.0.1:${port}/dashboard/studies`)
    const studiesApi = await fetch(`http://127.0.0.1:${port}/api/studies`)
    expect(studiesApi.status).toBe(200)
    expect(JSON.stringify(await studiesApi.json())).toContain('dash')

    process.kill(pid, 'SIGINT')
    expect((await running).code).toBe(130)
    expect(await waitFor(() => processesIn(cwd).length === 0, 8000)).toBe(true)
  })

  it('a study that does not exist exits 5', async () => {
    const run = await runCli(['hyperopt', 'dashboard', 'nope', '--studies-dir', tempDir('tradai-studies-')])
    expect(run.code).toBe(5)
    expect(run.stderr).toContain('No study nope')
    // Not a --json command (it runs until Ctrl-C), but a --json show of the same study is one document.
    const show = await runCli(['hyperopt', 'show', 'nope', '--studies-dir', tempDir('tradai-studies-'), '--json'])
    expect(json<{error: {exitCode: number}}>(show).error.exitCode).toBe(5)
  })
})
