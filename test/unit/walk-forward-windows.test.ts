import {describe, expect, it} from 'vitest'

import {maxDrawdown} from '../../src/core/walk-forward/run-walk-forward.js'
import {planWindows, spanDays} from '../../src/core/walk-forward/windows.js'

const span = spanDays('2018-01-10T04:55:00Z', '2018-01-30T04:50:00Z')

describe('walk-forward windows', () => {
  it('uses whole days only', () => {
    expect(new Date(span.start).toISOString()).toBe('2018-01-11T00:00:00.000Z')
    expect(new Date(span.end).toISOString()).toBe('2018-01-30T00:00:00.000Z')
  })

  it('rolling: test segments follow their train segments and never overlap', () => {
    const windows = planWindows(span, {trainDays: 5, testDays: 3, anchored: false})
    expect(windows.map((w) => [w.train.timerange, w.test.timerange])).toEqual([
      ['20180111-20180116', '20180116-20180119'],
      ['20180114-20180119', '20180119-20180122'],
      ['20180117-20180122', '20180122-20180125'],
      ['20180120-20180125', '20180125-20180128'],
    ])
  })

  it('anchored: every train segment starts on the first day', () => {
    const windows = planWindows(span, {trainDays: 5, testDays: 3, windows: 2, anchored: true})
    expect(windows.map((w) => [w.train.timerange, w.train.days])).toEqual([
      ['20180111-20180116', 5],
      ['20180111-20180119', 8],
    ])
  })

  it('says what fits when the windows do not', () => {
    expect(() => planWindows(span, {trainDays: 5, testDays: 3, windows: 5, anchored: false})).toThrow(/19 whole day\(s\).*5 windows .* do not fit; at most 4 do/)
    expect(() => planWindows(span, {trainDays: 18, testDays: 3, anchored: false})).toThrow(/one window needs 18 train \+ 3 test days/)
    expect(() => planWindows(span, {trainDays: 0, testDays: 3, anchored: false})).toThrow(/--train-days must be/)
  })

  it('max drawdown of a stitched curve is the largest fall from a running peak', () => {
    const curve = [100, 110, 99, 120, 108].map((balance, i) => ({date: String(i), balance}))
    expect(maxDrawdown(curve)).toBeCloseTo(0.1, 12)
  })
})
