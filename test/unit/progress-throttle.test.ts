import {describe, expect, it} from 'vitest'

import {COUNTER_LINE_INTERVAL_MS, ProgressThrottle, WAITING_LINE_INTERVAL_MS} from '../../src/cli/progress-throttle.js'

const waiting = (seconds: number) => ({type: 'progress' as const, stage: 'health', current: seconds, message: 's waiting for http://127.0.0.1:5000/health'})

describe('progress lines in CI (no TTY): throttled', () => {
  it('tracking start waiting 94 s for /health (a poll every 300 ms) prints a line every 10 s, not 47', () => {
    const throttle = new ProgressThrottle()
    const printed: number[] = []
    for (let ms = 0; ms <= 94_000; ms += 300) if (throttle.shouldPrint(waiting(Math.round(ms / 1000)), ms)) printed.push(ms)
    expect(printed[0]).toBe(0) // the first one says what it waits for
    expect(printed.length).toBeLessThanOrEqual(Math.ceil(94_000 / WAITING_LINE_INTERVAL_MS))
    expect(printed.length).toBeGreaterThanOrEqual(9)
    for (const [index, ms] of printed.slice(1).entries()) expect(ms - printed[index]!).toBeGreaterThanOrEqual(WAITING_LINE_INTERVAL_MS)
  })

  it('counters with a total keep a line every 2 s, and their last step is always shown', () => {
    const throttle = new ProgressThrottle()
    const epoch = (current: number) => ({type: 'progress' as const, stage: 'trials', current, total: 100, message: 'best loss 1'})
    const printed = [0, 500, 1999, 2000, 3000, 4100].filter((ms, index) => throttle.shouldPrint(epoch(index + 1), ms))
    expect(printed).toEqual([0, 2000, 4100])
    expect(COUNTER_LINE_INTERVAL_MS).toBe(2000)
    expect(throttle.shouldPrint(epoch(100), 4200)).toBe(true) // complete
  })

  it('a new message or a new stage is shown at once', () => {
    const throttle = new ProgressThrottle()
    expect(throttle.shouldPrint(waiting(0), 0)).toBe(true)
    expect(throttle.shouldPrint(waiting(1), 1000)).toBe(false)
    expect(throttle.shouldPrint({...waiting(1), message: 'starting the server'}, 1100)).toBe(true)
    expect(throttle.shouldPrint({...waiting(1), message: 'starting the server', stage: 'other'}, 1200)).toBe(true)
  })
})
