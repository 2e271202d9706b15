import {describe, expect, it} from 'vitest'

import {overlayChart} from '../../src/cli/output/chart.js'

/** Which braille dots (x, y from the top-left) a row of cells draws. */
function dots(rows: string[]): Set<string> {
  const bits = [
    [0x01, 0x08],
    [0x02, 0x10],
    [0x04, 0x20],
    [0x40, 0x80],
  ]
  const set = new Set<string>()
  rows.forEach((row, cellY) =>
    [...row].forEach((cell, cellX) => {
      const code = cell.codePointAt(0)! - 0x2800
      for (let y = 0; y < 4; y++) for (let x = 0; x < 2; x++) if (code & bits[y]![x]!) set.add(`${cellX * 2 + x},${cellY * 4 + y}`)
    }),
  )
  return set
}

const canvas = (lines: string[], height: number) => lines.slice(0, height).map((line) => line.slice(line.indexOf('┤') + 1))

describe('overlayChart: several series on one canvas', () => {
  it('draws both series on shared axes, the dotted one dashed, with a legend naming each', () => {
    const flat = {label: 'backtest', points: [0, 10].map((x) => ({x, y: 100})), dotted: true}
    const rising = {
      label: 'shadow',
      points: [
        {x: 0, y: 100},
        {x: 5, y: 110},
        {x: 10, y: 110},
      ],
    }
    const lines = overlayChart([rising, flat], {width: 10, height: 2})
    expect(lines).toHaveLength(2 + 3) // canvas rows, axis, x labels, legend
    // Shared y: 100 is the bottom dot row for both; 110 (the max) is the top one.
    expect(lines[0]).toMatch(/^110 ┤/)
    expect(lines[1]).toMatch(/^100 ┤/)
    const drawn = dots(canvas(lines, 2))
    const bottom = [...drawn].filter((dot) => dot.endsWith(',7')).map((dot) => Number(dot.split(',')[0]))
    const top = [...drawn].filter((dot) => dot.endsWith(',0')).map((dot) => Number(dot.split(',')[0]))
    // The shadow rises at x = 5 (half way): top row from there on, bottom row before it.
    expect(Math.min(...top)).toBeGreaterThanOrEqual(9)
    expect(Math.max(...top)).toBe(19)
    // The backtest stays on the bottom row to the end, dashed: dots in x % 4 < 2 only, past the shadow's rise too.
    const backtestOnly = bottom.filter((x) => x > 10)
    expect(backtestOnly.length).toBeGreaterThan(0)
    expect(backtestOnly.every((x) => x % 4 < 2)).toBe(true)
    expect(lines.at(-1)).toContain('shadow (final 110)')
    expect(lines.at(-1)).toContain('backtest (final 100)')
    expect(lines.at(-2)).toMatch(/0\s+10$/)
  })

  it("paints each series' cells in its colour and cells both draw as shared", () => {
    const seen: Array<[string, number]> = []
    overlayChart(
      [
        {
          label: 'a',
          points: [
            {x: 0, y: 0},
            {x: 1, y: 0},
          ],
        },
        {
          label: 'b',
          points: [
            {x: 0, y: 0},
            {x: 1, y: 1},
          ],
        },
      ],
      {width: 8, height: 2, paint: (text, owner) => (seen.push([text, owner]), `<${owner}>${text}`)},
    )
    const owners = new Set(seen.map(([, owner]) => owner))
    expect(owners).toEqual(new Set([0, 1, -1]))
  })

  it('draws nothing without two points, and a series with none is named in the legend only', () => {
    expect(overlayChart([{label: 'a', points: [{x: 0, y: 1}]}])).toEqual([])
    const lines = overlayChart([
      {
        label: 'a',
        points: [
          {x: 0, y: 1},
          {x: 1, y: 2},
        ],
      },
      {label: 'b', points: []},
    ])
    expect(lines.at(-1)).toContain('b (no points)')
  })
})
