import {registryPortContract} from '../contract/registry.contract.js'
import {trackingPortContract} from '../contract/tracking.contract.js'
import {FakeRegistry} from '../fakes/registry.js'

// The same suites run against MlflowClient on a real MLflow server in test/e2e/mlflow-ports.contract.test.ts.
trackingPortContract('FakeRegistry', () => new FakeRegistry())
registryPortContract('FakeRegistry', () => new FakeRegistry())
