// `npm run bench [section...]`: side-by-side medians and ratios, tradai against raw Freqtrade.
// Sections: startup, backtest, plus any bench/<name>.mjs exporting `bench()` (tracking, hyperopt, serve).
import {existsSync} from 'node:fs'
import path from 'node:path'

import {benchBacktest, benchStartup} from './backtest.mjs'
import {REPO} from './lib.mjs'

const sections = {
  startup: benchStartup,
  backtest: benchBacktest,
}
for (const name of ['tracking', 'hyperopt', 'serve']) {
  const file = path.join(REPO, 'bench', `${name}.mjs`)
  if (existsSync(file)) sections[name] = async () => (await import(file)).bench()
}

const wanted = process.argv.slice(2).length > 0 ? process.argv.slice(2) : Object.keys(sections)
console.log(`tradai benchmarks — ${new Date().toISOString()} — node ${process.version}, ${(await import('node:os')).cpus().length} cores, BENCH_RUNS=${process.env.BENCH_RUNS ?? 5}`)
console.log('| measure | tradai | reference | ratio | goal |')
console.log('|---|---|---|---|---|')
for (const name of wanted) {
  if (!sections[name]) throw new Error(`unknown bench section ${name}; known: ${Object.keys(sections).join(', ')}`)
  for (const line of await sections[name]()) console.log(line)
}
