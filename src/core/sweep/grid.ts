import type {ParamValue} from '../backtest/request.js'
import {UsageError} from '../errors.js'

/** One `--grid` axis: a strategy parameter and the values it takes. */
export interface GridAxis {
  name: string
  values: ParamValue[]
}

const SPEC = /^([A-Za-z_][A-Za-z0-9_]*)=(.+)$/
const NUMBER = /^-?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i

function scalar(raw: string): ParamValue {
  const text = raw.trim()
  if (/^(true|false)$/i.test(text)) return text.toLowerCase() === 'true'
  return NUMBER.test(text) ? Number(text) : text
}

function decimals(text: string): number {
  const fraction = /\.(\d+)/.exec(text)
  return fraction ? fraction[1]!.length : 0
}

/** `LO:HI:STEP` → LO, LO+STEP, ... up to HI (inclusive), rounded to the inputs' decimals. */
function range(spec: string, text: string): number[] {
  const parts = text.split(':').map((part) => part.trim())
  if (parts.length !== 3 || !parts.every((part) => NUMBER.test(part))) {
    throw new UsageError(`Malformed --grid "${spec}": a range is LO:HI:STEP with numbers, like buy_rsi=20:40:5.`)
  }

  const [lo, hi, step] = parts.map(Number) as [number, number, number]
  if (!(step > 0)) throw new UsageError(`--grid "${spec}": STEP must be greater than 0, not ${parts[2]}.`)
  if (hi < lo) throw new UsageError(`--grid "${spec}": HI (${parts[1]}) is below LO (${parts[0]}).`, {suggestions: ['Write the range as LO:HI:STEP.']})
  const places = Math.max(...parts.map(decimals))
  const values: number[] = []
  // Count steps instead of adding floats, so 0.1 steps never drift past HI.
  for (let index = 0; ; index++) {
    const value = Number((lo + index * step).toFixed(places))
    if (value > hi + 1e-12) break
    values.push(value)
  }

  return values
}

/** `--grid NAME=V1,V2,...` / `--grid NAME=LO:HI:STEP`, repeatable; names must not repeat. */
export function parseGrid(specs: string[]): GridAxis[] {
  if (specs.length === 0) {
    throw new UsageError('A sweep needs at least one --grid.', {suggestions: ['Pass --grid NAME=V1,V2,... or --grid NAME=LO:HI:STEP, e.g. --grid buy_rsi=20:40:5.']})
  }

  const axes: GridAxis[] = []
  for (const spec of specs) {
    const match = SPEC.exec(spec.trim())
    if (!match) throw new UsageError(`Malformed --grid "${spec}": expected NAME=V1,V2,... or NAME=LO:HI:STEP.`)
    const [, name, body] = match as unknown as [string, string, string]
    if (axes.some((axis) => axis.name === name)) throw new UsageError(`--grid names ${name} twice; give each parameter one --grid.`)
    const values = body.includes(':')
      ? range(spec, body)
      : body
          .split(',')
          .filter((part) => part.trim() !== '')
          .map(scalar)
    if (values.length === 0) throw new UsageError(`--grid "${spec}" has no values.`)
    const unique = [...new Map(values.map((value) => [String(value), value])).values()]
    axes.push({name, values: unique})
  }

  return axes
}

export function pointCount(axes: GridAxis[]): number {
  return axes.reduce((count, axis) => count * axis.values.length, 1)
}

/** The cartesian product, the first axis varying slowest. */
export function gridPoints(axes: GridAxis[]): Array<Record<string, ParamValue>> {
  let points: Array<Record<string, ParamValue>> = [{}]
  for (const axis of axes) points = points.flatMap((point) => axis.values.map((value) => ({...point, [axis.name]: value})))
  return points
}

/** More than `maxPoints` points only with --yes: a typo in a range must not start days of work. */
export function checkGridSize(axes: GridAxis[], maxPoints: number, confirmed: boolean): void {
  const count = pointCount(axes)
  if (count > maxPoints && !confirmed) {
    throw new UsageError(`The grid has ${count} points, more than sweep.maxPoints (${maxPoints}).`, {
      suggestions: ['Narrow the grid (fewer values or a larger STEP), pass --yes to run it anyway, or raise sweep.maxPoints in the config.'],
    })
  }
}

/** A point's run folder name under the sweep's `points/`: p0001 for the first point of the grid. */
export function pointDirName(index: number): string {
  return `p${String(index + 1).padStart(4, '0')}`
}
