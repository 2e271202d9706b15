import {describe, expect, it} from 'vitest'

import {ExitCode, UsageError} from '../../src/core/errors.js'
import {snakeCase, validateScaffold, type ScaffoldRequest} from '../../src/core/scaffold/scaffold-strategy.js'

const request: ScaffoldRequest = {
  className: 'MyRsiStrategy',
  dir: 's',
  testsDir: 't',
  timeframe: '5m',
  exchange: 'binance',
  pairs: ['ETH/BTC'],
  author: 'me',
}

describe('strategy scaffold', () => {
  it('names the file after the class the way Freqtrade users expect', () => {
    expect(snakeCase('MyRsiStrategy')).toBe('my_rsi_strategy')
    expect(snakeCase('EMACrossV2Strategy')).toBe('ema_cross_v2_strategy')
  })

  it.each(['myStrategy', 'My-Strategy', '1Strategy', 'None', 'TradAIStrategy', 'Straße'])('refuses the class name %s (exit 2)', (className) => {
    expect(() => validateScaffold({...request, className})).toThrow(UsageError)
    try {
      validateScaffold({...request, className})
    } catch (error) {
      expect((error as UsageError).exitCode).toBe(ExitCode.usage)
    }
  })

  it('accepts a CapWords name and rejects malformed pairs and timeframes', () => {
    expect(() => validateScaffold(request)).not.toThrow()
    expect(() => validateScaffold({...request, pairs: ['eth-btc']})).toThrow(/Malformed pair/)
    expect(() => validateScaffold({...request, timeframe: 'five'})).toThrow(/Malformed timeframe/)
  })
})
