import {describe, expect, it} from 'vitest'

import {describeConfig} from '../../src/core/config/describe.js'
import {configKeys} from '../../src/core/config/keys.js'
import {loadConfig} from '../../src/core/config/load.js'
import {SECRET_KEYS} from '../../src/core/config/schema.js'
import {schemaErrors} from '../helpers/json-schema.js'
import {tempDir} from '../helpers/paths.js'

describe('config show: every key of the schema with its source', () => {
  it('lists the whole schema (set or not), each key once, with default / env / flag / not set sources', async () => {
    const resolved = await loadConfig({
      cwd: tempDir(),
      env: {MLFLOW_TRACKING_PASSWORD: 'hunter2-secret', STRATEGY_SERVICE_PORT: '9100'},
      flags: {timeframe: {value: '1h', flag: '--timeframe'}},
    })
    const entries = describeConfig(resolved)
    expect(schemaErrors('config-show', {file: null, entries})).toEqual([])
    const keys = entries.map((entry) => entry.key)
    expect(keys).toEqual(configKeys())
    expect(new Set(keys).size).toBe(keys.length)
    // Keys nobody set are listed too (these were missing: only the 20-odd keys with a value showed).
    for (const key of ['outputDir', 'engine.python', 'tracking.outboxDir', 'server.jobsDir', 'challenge.monteCarlo.runs', 'credentials.file', 'data.arcticUri'])
      expect(keys).toContain(key)
    expect(keys.length).toBeGreaterThan(50)
    const entry = (key: string) => entries.find((item) => item.key === key)
    expect(entry('outputDir')).toEqual({key: 'outputDir', value: null, source: 'not set', sourceKind: 'unset'})
    expect(entry('exchange')).toMatchObject({value: 'binance', source: 'default', sourceKind: 'default'})
    expect(entry('server.port')).toMatchObject({value: 9100, source: 'environment variable STRATEGY_SERVICE_PORT', sourceKind: 'env'})
    expect(entry('timeframe')).toMatchObject({value: '1h', source: 'flag --timeframe', sourceKind: 'flag'})
    expect(entry('tracking.password')).toMatchObject({value: '********', sourceKind: 'env'})
    expect(JSON.stringify(entries)).not.toContain('hunter2-secret')
    for (const key of SECRET_KEYS) expect(keys).toContain(key)
  })
})
