/**
 * The build's stamp: a hash of everything `npm run build` reads, written into dist/ when a build ends.
 * `--write` records it (the last step of `npm run build`); `--build-if-stale` runs `npm run build`
 * only when the sources no longer match the stamp, so `npm test` right after a build (as in .ci/run)
 * does not compile everything a second time, while a changed source file still rebuilds.
 */
import {spawnSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {existsSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..')
const stampFile = path.join(root, 'dist', '.build-stamp')
// What the build reads (sources, its scripts, its settings) and what it writes outside dist/.
const inputs = ['src', 'scripts', 'bin', 'package.json', 'package-lock.json', 'tsconfig.json', 'oclif.manifest.json']

function files(entry) {
  const full = path.join(root, entry)
  if (!existsSync(full)) return []
  if (!statSync(full).isDirectory()) return [entry]
  return readdirSync(full, {withFileTypes: true})
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((child) => files(path.join(entry, child.name)))
}

function sourceHash() {
  const hash = createHash('sha256')
  for (const file of inputs.flatMap((entry) => files(entry))) {
    hash.update(`${file}\0`)
    hash.update(readFileSync(path.join(root, file)))
  }

  return hash.digest('hex')
}

if (process.argv.includes('--write')) {
  writeFileSync(stampFile, `${sourceHash()}\n`)
} else if (process.argv.includes('--build-if-stale')) {
  const recorded = existsSync(stampFile) ? readFileSync(stampFile, 'utf8').trim() : ''
  if (recorded === sourceHash()) {
    console.error('build is up to date with src/ (dist/.build-stamp): not rebuilding')
  } else {
    const build = spawnSync('npm', ['run', 'build'], {cwd: root, stdio: 'inherit'})
    process.exit(build.status ?? 1)
  }
} else {
  console.error('usage: node scripts/build-stamp.mjs --write | --build-if-stale')
  process.exit(2)
}
