import {describe, expect, it} from 'vitest'

import {tidyNumber} from '../../src/core/tracking/report-files.js'

describe('summary numbers', () => {
  it('trims float noise to 8 significant digits, keeps integers and marks missing values', () => {
    expect(tidyNumber(0.006588919999999998)).toBe('0.00658892')
    expect(tidyNumber(-12.345678912345)).toBe('-12.345679')
    expect(tidyNumber(119)).toBe('119')
    expect(tidyNumber(null)).toBe('–')
    expect(tidyNumber('ETH/BTC')).toBe('ETH/BTC')
  })
})
