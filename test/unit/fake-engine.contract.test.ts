import path from 'node:path'

import {UsageError} from '../../src/core/errors.js'
import {enginePortContract} from '../contract/engine.contract.js'
import {FakeEngine} from '../fakes/engine.js'

// Canned the way the real engine answers (the same suite runs on PythonBridge in test/e2e/engine-port.contract.test.ts).
enginePortContract(
  'FakeEngine',
  () =>
    new FakeEngine({
      versions: {python: '/engine/bin/python', pythonVersion: '3.11.7', packages: {freqtrade: '2026.9', optuna: '5.0.0', mlflow: '3.17.2'}},
      'data-list': (request) => ({dataDir: path.join(request.userDataDir, 'data', request.exchange ?? 'binance'), files: []}),
      'data-import': (request) => new UsageError(`${request.paths[0]} does not exist`),
    }),
)
