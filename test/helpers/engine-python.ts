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

/**
 * The stats Freqtrade exported into `exportDir` (found through its `.last_result.json`), read with
 * the standard json module. Not `load_backtest_stats`: its JSON reader rounds floats on load
 * (0.020555570000000002 → 0.02055557), and parity means the exported numbers, to the bit.
 */
export function freqtradeStats(exportDir: string, strategyClass: string): {total_trades: number; profit_total: number; profit_total_abs: number} {
  const out = enginePython(
    `import json, sys, zipfile
from pathlib import Path
folder = Path(sys.argv[1])
name = json.loads((folder / ".last_result.json").read_text())["latest_backtest"]
with zipfile.ZipFile(folder / name) as archive:
    stats = json.loads(archive.read(Path(name).with_suffix(".json").name))["strategy"][sys.argv[2]]
print(json.dumps({k: stats[k] for k in ("total_trades", "profit_total", "profit_total_abs")}))`,
    [exportDir, strategyClass],
  )
  return JSON.parse(out) as {total_trades: number; profit_total: number; profit_total_abs: number}
}
