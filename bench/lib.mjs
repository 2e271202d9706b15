// Shared measurement helpers for the benchmarks: wall time and peak memory of a whole process tree.
import {spawn} from 'node:child_process'
import {mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
export const FIXTURES = path.resolve(REPO, '../shared/fixtures/market-data/binance')
export const ENGINE_DIR = process.env.TRADAI_ENGINE_DIR ?? path.join(REPO, '.tradai/engine')
export const ENGINE_PYTHON = path.join(ENGINE_DIR, 'bin/python')
export const PY_ENV = {...process.env, PYTHONPATH: path.join(REPO, 'python'), TRADAI_ENGINE_DIR: ENGINE_DIR, CI: 'true'}

export function fixtureUserData() {
  const dir = mkdtempSync(path.join(tmpdir(), 'tradai-bench-'))
  mkdirSync(path.join(dir, 'data'))
  symlinkSync(FIXTURES, path.join(dir, 'data', 'binance'))
  return dir
}

function children() {
  const byParent = new Map()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      if (!byParent.has(ppid)) byParent.set(ppid, [])
      byParent.get(ppid).push(Number(entry))
    } catch {}
  }
  return byParent
}

/** Resident memory of pid and all its descendants, in MiB. */
function treeRssMiB(pid) {
  const byParent = children()
  let total = 0
  const stack = [pid]
  while (stack.length > 0) {
    const current = stack.pop()
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${current}/status`, 'utf8'))
      if (match) total += Number(match[1]) / 1024
    } catch {}
    stack.push(...(byParent.get(current) ?? []))
  }
  return total
}

/** Runs a command; returns wall seconds, peak tree RSS (MiB, sampled every 20 ms) and output. */
export async function measure(command, args, options = {}) {
  const started = process.hrtime.bigint()
  const child = spawn(command, args, {cwd: options.cwd ?? REPO, env: options.env ?? PY_ENV, stdio: ['ignore', 'pipe', 'pipe']})
  let peak = 0
  const sampler = setInterval(() => (peak = Math.max(peak, treeRssMiB(child.pid))), 20)
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk) => (stdout += chunk))
  child.stderr.on('data', (chunk) => (stderr += chunk))
  const code = await new Promise((resolve) => child.on('close', resolve))
  clearInterval(sampler)
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited ${code}\n${stderr.slice(-2000)}`)
  return {seconds, peakMiB: peak, stdout, stderr}
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/** Alternates A and B runs so machine noise hits both alike; returns the medians. */
export async function sideBySide(runs, a, b) {
  const results = {a: [], b: []}
  for (let i = 0; i < runs; i++) {
    results.a.push(await a())
    results.b.push(await b())
  }
  const summary = (list) => ({seconds: median(list.map((r) => r.seconds)), peakMiB: median(list.map((r) => r.peakMiB))})
  return {a: summary(results.a), b: summary(results.b), runs}
}

export function row(label, a, b, unit, goal) {
  const ratio = a / b
  return `| ${label} | ${a.toFixed(unit === 'MiB' ? 0 : 3)} ${unit} | ${b.toFixed(unit === 'MiB' ? 0 : 3)} ${unit} | ${ratio.toFixed(3)}× | ${goal} |`
}
