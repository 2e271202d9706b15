import {describe, expect, it} from 'vitest'

import {parseParams} from '../../src/core/backtest/request.js'
import {validateTimerange} from '../../src/core/market-input.js'
import {UsageError} from '../../src/core/errors.js'

describe('backtest request validation', () => {
  it.each(['20180110-20180130', '20180110-', '-20180130'])('accepts timerange %s', (range) => {
    expect(() => validateTimerange(range)).not.toThrow()
  })

  it.each(['-', '2018-01-10', '20180110', '20181310-20181320', '20180130-20180110', 'abc'])('rejects timerange %s', (range) => {
    expect(() => validateTimerange(range)).toThrow(UsageError)
  })

  it('types --param values', () => {
    expect(parseParams(['buy_rsi=30', 'sell_flag=true', 'mode=fast', 'ratio=0.5'])).toEqual({buy_rsi: 30, sell_flag: true, mode: 'fast', ratio: 0.5})
    expect(() => parseParams(['novalue'])).toThrow(/novalue/)
  })
})
