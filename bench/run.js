// `npm run bench [section...]`: side-by-side medians and ratios, tradai against raw Freqtrade.
// Sections: startup, backtest, plus every other bench/<name>.mjs, which exports `bench()`.
import {readdirSync} from 'node:fs'
import path from 'node:path'

import {benchBacktest, benchStartup} from './backtest.mjs'
import {REPO} from './lib.mjs'

const sections = {
  startup: benchStartup,
  backtest: benchBacktest,
}
// Found, not listed: a new section is a new file (backtest.mjs and lib.mjs are the harness).
for (const file of readdirSync(path.join(REPO, 'bench'))
  .filter((name) => name.endsWith('.mjs'))
  .sort()) {
  const name = file.replace(/\.mjs$/, '')
  if (name === 'backtest' || name === 'lib') continue
  sections[name] = async () => (await import(path.join(REPO, 'bench', file))).bench()
}

const wanted = process.argv.slice(2).length > 0 ? process.argv.slice(2) : Object.keys(sections)
console.log(
  `tradai benchmarks — ${new Date().toISOString()} — node ${process.version}, ${(await import('node:os')).cpus().length} cores, BENCH_RUNS=${process.env.BENCH_RUNS ?? 5}`,
)
console.log('| measure | tradai | reference | ratio | goal |')
console.log('|---|---|---|---|---|')
for (const name of wanted) {
  if (!sections[name]) throw new Error(`unknown bench section ${name}; known: ${Object.keys(sections).join(', ')}`)
  for (const line of await sections[name]()) console.log(line)
}
