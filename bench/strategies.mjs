// `strategy list` (source read, no Freqtrade import) against `freqtrade list-strategies` and
// against `strategy lint` on the same folder (the bundled strategies).
import path from 'node:path'

import {ENGINE_DIR, fixtureUserData, measure, REPO, row, sideBySide} from './lib.mjs'

const RUNS = Number(process.env.BENCH_RUNS ?? 5)

export async function bench() {
  const strategies = path.join(REPO, 'strategies')
  const userData = fixtureUserData()
  const list = () => measure(process.execPath, ['bin/run.js', 'strategy', 'list', '--strategy-path', strategies, '--json'])
  const freqtrade = () => measure(path.join(ENGINE_DIR, 'bin/freqtrade'), ['list-strategies', '--strategy-path', strategies, '--userdir', userData, '-1'])
  const lint = () => measure(process.execPath, ['bin/run.js', 'strategy', 'lint', '--strategy-path', strategies, '--json'])
  const vsFreqtrade = await sideBySide(RUNS, list, freqtrade)
  const vsLint = await sideBySide(RUNS, list, lint)
  return [
    row('`strategy list` vs `freqtrade list-strategies` (bundled strategies)', vsFreqtrade.a.seconds, vsFreqtrade.b.seconds, 's', '≤ 0.1×'),
    row('`strategy list` vs `strategy lint` (same folder)', vsLint.a.seconds, vsLint.b.seconds, 's', '≈ 1×'),
  ]
}
