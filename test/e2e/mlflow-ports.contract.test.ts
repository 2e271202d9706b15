import {afterAll, beforeAll} from 'vitest'

import {MlflowClient} from '../../src/engines/mlflow/client.js'
import {registryPortContract} from '../contract/registry.contract.js'
import {trackingPortContract} from '../contract/tracking.contract.js'
import {startMlflowServer, type TestMlflowServer} from '../helpers/mlflow-server.js'

// The suites the fake passes in test/unit/fake-ports.contract.test.ts, on MlflowClient and a real server.
let server: TestMlflowServer
beforeAll(async () => {
  server = await startMlflowServer()
})
afterAll(async () => {
  await server?.stop()
})

const client = () => new MlflowClient({uri: server.url})
trackingPortContract('MlflowClient on a real MLflow server', client)
registryPortContract('MlflowClient on a real MLflow server', client)
