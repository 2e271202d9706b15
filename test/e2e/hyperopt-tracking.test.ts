import {cpSync} from 'node:fs'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {MlflowClient} from '../../src/engines/mlflow/client.js'
import {json, runCli} from '../helpers/cli.js'
import {startMlflowServer, type TestMlflowServer} from '../helpers/mlflow-server.js'
import {fixtureUserData, STRATEGIES, tempDir} from '../helpers/paths.js'

interface RunJson {
  study: string
  bestLoss: number
  tracking: {status: string; runId: string; experimentId: string; childRuns: number}
}

const tag = (run: {data: {tags?: Array<{key: string; value: string}>}}, key: string) => run.data.tags?.find((t) => t.key === key)?.value

describe('hyperopt run is tracked: a parent run per study, a child run per trial (real MLflow server)', () => {
  let server: TestMlflowServer
  let client: MlflowClient

  beforeAll(async () => {
    server = await startMlflowServer()
    client = new MlflowClient({uri: server.url})
  })

  afterAll(async () => {
    await server?.stop()
  })

  it('logs the study with its best params and every trial under it (mlflow.parentRunId); a continued study keeps its parent', async () => {
    const strategies = tempDir('tradai-strat-')
    cpSync(STRATEGIES, strategies, {recursive: true})
    const args = [
      'hyperopt',
      'run',
      '--strategy',
      'SampleRsiStrategy',
      '--pairs',
      'ETH/BTC',
      'LTC/BTC',
      '--timerange',
      '20180112-20180128',
      '--spaces',
      'buy',
      '--study',
      'tracked',
      '--no-export',
      '--json',
      '--strategy-path',
      strategies,
      '--user-data-dir',
      fixtureUserData(),
      '--studies-dir',
      tempDir('tradai-studies-'),
    ]
    const env = {TRADAI_MLFLOW_TRACKING_URI: server.url, TRADAI_OUTBOX_DIR: tempDir('tradai-outbox-')}
    const first = await runCli([...args, '--epochs', '3'], {env})
    expect(first.code, first.stderr).toBe(0)
    const result = json<RunJson>(first)
    expect(result.tracking).toMatchObject({status: 'logged', childRuns: 3})

    const parent = await client.getRun(result.tracking.runId)
    expect(tag(parent, 'tradai.kind')).toBe('hyperopt-study')
    expect(tag(parent, 'tradai.study')).toBe('tracked')
    expect(parent.data.metrics?.find((m) => m.key === 'bestLoss')?.value).toBeCloseTo(result.bestLoss, 6)

    const second = await runCli([...args, '--epochs', '2'], {env})
    expect(second.code, second.stderr).toBe(0)
    expect(json<RunJson>(second).tracking).toMatchObject({status: 'logged', runId: result.tracking.runId, childRuns: 2})

    const children = await client.searchRuns({experimentIds: [result.tracking.experimentId], filter: `tags.\`mlflow.parentRunId\` = '${result.tracking.runId}'`})
    expect(children).toHaveLength(5)
    expect(children.map((run) => Number(tag(run, 'tradai.trial'))).sort()).toEqual([0, 1, 2, 3, 4])
    for (const child of children) expect(child.data.metrics?.some((m) => m.key === 'loss')).toBe(true)
  })
})
