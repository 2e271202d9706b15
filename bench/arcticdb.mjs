// ArcticDB as the candle source (issue 15): the backtest section's run (10 pairs, all 20 days)
// read from a local LMDB store into the run's cache, against the same backtest on the feather
// files, interleaved, medians; and the first use of the adapter (a fresh .tradai/arctic beside
// a linked engine: the install that `data list --data-source arcticdb` triggers), once.
import {mkdtempSync, symlinkSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'

import {ENGINE_DIR, FIXTURES, fixtureUserData, measure, PY_ENV, REPO, row, sideBySide} from './lib.mjs'

const RUNS = Number(process.env.BENCH_RUNS ?? 5)
const PAIRS = ['ETH/BTC', 'LTC/BTC', 'XLM/BTC', 'XMR/BTC', 'DASH/BTC', 'ADA/BTC', 'ETC/BTC', 'TRX/BTC', 'ZEC/BTC', 'NXT/BTC']
const temp = (prefix) => mkdtempSync(path.join(tmpdir(), prefix))
const cli = (args, env = PY_ENV) => measure(process.execPath, [path.join(REPO, 'bin/run.js'), ...args], {env})

export async function bench() {
  const uri = `lmdb://${temp('tradai-bench-arctic-')}/store`
  const files = PAIRS.map((pair) => path.join(FIXTURES, `${pair.replace('/', '_')}-5m.feather`))
  await cli(['data', 'import', ...files, '--to', 'arcticdb', '--arctic-uri', uri, '--json'])

  const backtest = (userData, extra) =>
    cli(['strategy', 'backtest', '--strategy', 'SampleRsiStrategy', '--user-data-dir', userData, '--pairs', ...PAIRS, '--no-track', '--json', ...extra])
  const fromFiles = fixtureUserData()
  const result = await sideBySide(
    RUNS,
    () => backtest(temp('tradai-bench-empty-'), ['--data-source', 'arcticdb', '--arctic-uri', uri]),
    () => backtest(fromFiles, []),
  )

  // First use: the engine linked in (installed), the adapter's folder beside it empty.
  const fresh = temp('tradai-bench-adapter-')
  symlinkSync(ENGINE_DIR, path.join(fresh, 'engine'))
  const env = {...PY_ENV, TRADAI_ENGINE_DIR: path.join(fresh, 'engine')}
  const first = await cli(['data', 'list', '--data-source', 'arcticdb', '--arctic-uri', uri, '--json'], env)
  const warm = await cli(['data', 'list', '--data-source', 'arcticdb', '--arctic-uri', uri, '--json'], env)
  return [
    row(`backtest wall from ArcticDB (LMDB) vs feather files, 10 pairs × 20 days, medians of ${RUNS}`, result.a.seconds, result.b.seconds, 's', '≤ 1.1×'),
    row('backtest peak memory from ArcticDB vs files (whole process tree)', result.a.peakMiB, result.b.peakMiB, 'MiB', '–'),
    `| ArcticDB adapter first use (install into a fresh .tradai/arctic + data list) vs installed | ${first.seconds.toFixed(1)} s | ${warm.seconds.toFixed(3)} s | – | one measurement |`,
  ]
}
