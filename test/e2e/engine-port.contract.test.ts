import {engineLocation} from '../../src/engines/python/engine-env.js'
import {PythonBridge} from '../../src/engines/python/bridge.js'
import {enginePortContract} from '../contract/engine.contract.js'
import {ENGINE_DIR, REPO} from '../helpers/paths.js'

// The suite FakeEngine passes in test/unit/fake-engine.contract.test.ts, on the real engine.
enginePortContract('PythonBridge on the real engine', () => new PythonBridge(engineLocation(ENGINE_DIR), process.env, REPO))
