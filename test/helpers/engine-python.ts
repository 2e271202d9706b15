import {execFileSync} from 'node:child_process'
import path from 'node:path'

import {ENGINE_PYTHON, REPO} from './paths.js'

/** Runs a Python snippet in the engine's interpreter (tradai's package importable); returns stdout. */
export function enginePython(code: string, args: string[] = [], cwd = REPO): string {
  return execFileSync(ENGINE_PYTHON, ['-c', code, ...args], {
    cwd,
    env: {...process.env, PYTHONPATH: path.join(REPO, 'python')},
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  })
}

/** Freqtrade's own `load_backtest_stats` on an export dir (reads .last_result.json like Freqtrade). */
export function freqtradeStats(exportDir: string, strategyClass: string): {total_trades: number; profit_total: number; profit_total_abs: number} {
  const out = enginePython(
    `import json, sys
from freqtrade.data.btanalysis import load_backtest_stats
stats = load_backtest_stats(sys.argv[1])["strategy"][sys.argv[2]]
print(json.dumps({k: stats[k] for k in ("total_trades", "profit_total", "profit_total_abs")}))`,
    [exportDir, strategyClass],
  )
  return JSON.parse(out) as {total_trades: number; profit_total: number; profit_total_abs: number}
}
