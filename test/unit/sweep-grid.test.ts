import {describe, expect, it} from 'vitest'

import {UsageError} from '../../src/core/errors.js'
import {checkGridSize, gridPoints, parseGrid, pointCount} from '../../src/core/sweep/grid.js'
import {rankPoints} from '../../src/core/sweep/run-sweep.js'

describe('sweep grid', () => {
  it('parses lists and LO:HI:STEP ranges (inclusive, no float drift) and takes the cartesian product', () => {
    const axes = parseGrid(['buy_rsi=20:30:5', 'offset=0.9:1.0:0.05', 'flag=true,false'])
    expect(axes).toEqual([
      {name: 'buy_rsi', values: [20, 25, 30]},
      {name: 'offset', values: [0.9, 0.95, 1]},
      {name: 'flag', values: [true, false]},
    ])
    expect(pointCount(axes)).toBe(18)
    const points = gridPoints(axes)
    expect(points).toHaveLength(18)
    expect(points[0]).toEqual({buy_rsi: 20, offset: 0.9, flag: true})
    expect(points[17]).toEqual({buy_rsi: 30, offset: 1, flag: false})
    expect(new Set(points.map((p) => JSON.stringify(p))).size).toBe(18)
  })

  it('rejects an empty grid, malformed specs, repeated names and bad ranges with usage errors', () => {
    expect(() => parseGrid([])).toThrow(/at least one --grid/)
    expect(() => parseGrid(['buy_rsi'])).toThrow(/Malformed --grid "buy_rsi"/)
    expect(() => parseGrid(['a=1,2', 'a=3'])).toThrow(/names a twice/)
    expect(() => parseGrid(['a=5:1:1'])).toThrow(/HI \(1\) is below LO \(5\)/)
    expect(() => parseGrid(['a=1:5:0'])).toThrow(/STEP must be greater than 0/)
    expect(() => parseGrid(['a=1:x:1'])).toThrow(UsageError)
  })

  it('needs --yes above maxPoints', () => {
    const axes = parseGrid(['a=1:100:1', 'b=1:101:1'])
    expect(() => checkGridSize(axes, 10_000, false)).toThrow(/10100 points, more than sweep.maxPoints \(10000\)/)
    expect(() => checkGridSize(axes, 10_000, true)).not.toThrow()
  })

  it('ranks best first, lower-is-better for drawdowns, missing values last, ties in grid order', () => {
    const point = (index: number, profitTotal: number, maxDrawdown: number | null) => ({index, params: {}, runDir: '', metrics: {profitTotal, maxDrawdown} as never})
    const points = [point(0, 0.1, 0.2), point(1, 0.3, null), point(2, 0.1, 0.05)]
    expect(rankPoints(points, 'profitTotal').map((p) => p.index)).toEqual([1, 0, 2])
    expect(rankPoints(points, 'maxDrawdown').map((p) => p.index)).toEqual([2, 0, 1])
  })
})
