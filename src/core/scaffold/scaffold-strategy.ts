import {existsSync} from 'node:fs'
import {mkdir, writeFile} from 'node:fs/promises'
import path from 'node:path'

import {PAIR_PATTERN, TIMEFRAME_PATTERN} from '../ports/engine-contract/vocabulary.js'
import {UsageError} from '../errors.js'
import {strategySource, strategyTestSource} from './strategy-template.js'

export interface ScaffoldRequest {
  className: string
  /** Folder the strategy file goes into (the strategies folder). */
  dir: string
  /** Folder the test file goes into. */
  testsDir: string
  timeframe: string
  exchange: string
  pairs: string[]
  author: string
}

export interface ScaffoldResult {
  strategy: string
  className: string
  strategyFile: string
  testFile: string
}

// A Python class name (ASCII); True/False/None are the only capitalised keywords.
const CLASS_NAME = /^[A-Z][A-Za-z0-9_]*$/
const RESERVED = new Set(['True', 'False', 'None', 'IStrategy', 'TradAIStrategy', 'StrategyMetadata'])

/** MyRsiStrategy -> my_rsi_strategy (the file name Freqtrade users expect). */
export function snakeCase(className: string): string {
  return className
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
}

export function validateScaffold(request: ScaffoldRequest): void {
  if (!CLASS_NAME.test(request.className) || RESERVED.has(request.className)) {
    throw new UsageError(`"${request.className}" is not a usable strategy class name.`, {
      suggestions: ['Use a Python class name in CapWords starting with a capital letter, e.g. MyRsiStrategy.'],
    })
  }

  if (!TIMEFRAME_PATTERN.test(request.timeframe)) {
    throw new UsageError(`Malformed timeframe "${request.timeframe}": expected a number and a unit, like 5m, 1h or 1d.`)
  }

  for (const pair of request.pairs) {
    if (!PAIR_PATTERN.test(pair)) throw new UsageError(`Malformed pair "${pair}": expected BASE/QUOTE in upper case, like ETH/BTC.`)
  }

  if (request.pairs.length === 0) throw new UsageError('A strategy needs at least one default pair: pass --pairs ETH/BTC.')
}

/** Writes the strategy and its test; refuses (exit 2) to overwrite either. */
export async function scaffoldStrategy(request: ScaffoldRequest): Promise<ScaffoldResult> {
  validateScaffold(request)
  const base = snakeCase(request.className)
  const strategyFile = path.resolve(request.dir, `${base}.py`)
  const testFile = path.resolve(request.testsDir, `test_${base}.py`)
  for (const file of [strategyFile, testFile]) {
    if (existsSync(file)) {
      throw new UsageError(`${file} already exists; tradai strategy new never overwrites a file.`, {
        suggestions: ['Pick another name, or move the existing file away first.'],
      })
    }
  }

  const input = {...request, pairs: [...new Set(request.pairs)]}
  await mkdir(path.dirname(strategyFile), {recursive: true})
  await mkdir(path.dirname(testFile), {recursive: true})
  const strategyDirFromTest = path.relative(path.dirname(testFile), path.dirname(strategyFile)) || '.'
  // 'wx': fail instead of overwrite if the file appeared since the check above.
  await writeFile(strategyFile, strategySource(input), {flag: 'wx'})
  await writeFile(testFile, strategyTestSource({...input, strategyDirFromTest: strategyDirFromTest.split(path.sep).join('/')}), {flag: 'wx'})
  return {strategy: request.className, className: request.className, strategyFile, testFile}
}
