import {describe, expect, it} from 'vitest'

import {maxDrawdown, monteCarloDrawdown, percentileOf, seededRandom} from '../../src/core/challenge/monte-carlo.js'

describe('Monte Carlo trade-order drawdown', () => {
  it('drawdown is the fall from the peak balance, as a ratio of the peak', () => {
    expect(maxDrawdown(100, [10, -22, 5])).toBeCloseTo(0.2)
    expect(maxDrawdown(100, [5, 5])).toBe(0)
    expect(maxDrawdown(100, [-10, -10])).toBeCloseTo(0.2)
  })

  it('the same seed gives the same result; another seed another sample', () => {
    const profits = [5, -3, 8, -12, 4, -6, 9, -2, 1, -7, 3, 6]
    const run = (seed: number) => monteCarloDrawdown({startingBalance: 100, profits, runs: 500, percentile: 95, seed})
    expect(run(7)).toEqual(run(7))
    expect(seededRandom(1)()).not.toBe(seededRandom(2)())
    const result = run(7)
    expect(result.original).toBeCloseTo(maxDrawdown(100, profits))
    // Shuffles that cluster the losses go deeper than the median order.
    expect(result.drawdown).toBeGreaterThanOrEqual(result.median)
    expect(result.worst).toBeGreaterThanOrEqual(result.drawdown)
    // The worst order is all losses first: no shuffle can exceed it.
    const losses = profits.filter((p) => p < 0)
    expect(result.worst).toBeLessThanOrEqual(maxDrawdown(100, losses) + 1e-12)
  })

  it('percentiles are nearest-rank', () => {
    const values = Array.from({length: 100}, (_, i) => i + 1)
    expect(percentileOf(values, 95)).toBe(95)
    expect(percentileOf(values, 100)).toBe(100)
    expect(percentileOf([3], 50)).toBe(3)
  })

  it('no trades, no drawdown', () => {
    expect(monteCarloDrawdown({startingBalance: 1, profits: [], runs: 10, percentile: 95, seed: 1}).drawdown).toBe(0)
  })
})
