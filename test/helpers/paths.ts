import {existsSync, mkdirSync, mkdtempSync, symlinkSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
/** Real 2018 Binance 5m candles (see ../shared/fixtures/market-data/README.md). */
export const FIXTURES = path.resolve(REPO, '../shared/fixtures/market-data/binance')
/** The engine the tests use: installed once by the global setup, shared by every test. */
export const ENGINE_DIR = process.env.TRADAI_ENGINE_DIR ?? path.join(REPO, '.tradai/engine')
export const ENGINE_PYTHON = path.join(ENGINE_DIR, 'bin/python')
export const STRATEGIES = path.join(REPO, 'strategies')

export function tempDir(prefix = 'tradai-test-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix))
}

/** A fresh user_data folder whose data/binance is the fixture candles (linked, never copied). */
export function fixtureUserData(): string {
  const dir = tempDir('tradai-ud-')
  mkdirSync(path.join(dir, 'data'), {recursive: true})
  if (!existsSync(FIXTURES)) throw new Error(`fixture candles not found at ${FIXTURES}: ../shared must be beside the checkout`)
  symlinkSync(FIXTURES, path.join(dir, 'data', 'binance'))
  return dir
}
