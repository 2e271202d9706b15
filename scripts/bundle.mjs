// The CLI as `npm run build` ships it: esbuild bundles src/ (and the npm packages it imports) into
// a few ESM files, so a command's start loads a handful of files instead of ~330 modules (Node's
// module loader was ≈ 0.14 s of `strategy list`; docs/benchmarks.md). Each command file stays an
// entry point at the path oclif's pattern discovery and oclif.manifest.json expect
// (dist/commands/**), the command_not_found hook too; `splitting` puts what they share (oclif,
// zod, tradai's core) into dist/chunks, loaded once. bin/run.js starts oclif from dist/oclif.js,
// the same bundled copy the commands extend. tsc only type-checks (`npm run build` runs it first).
import {readdirSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

import {build} from 'esbuild'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const src = path.join(root, 'src')

function filesUnder(dir) {
  return readdirSync(dir, {withFileTypes: true, recursive: true})
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts'))
    .map((entry) => path.join(entry.parentPath, entry.name))
}

const entryPoints = [...filesUnder(path.join(src, 'commands')), path.join(src, 'cli/hooks/command-not-found.ts'), path.join(src, 'oclif.ts')]

const result = await build({
  absWorkingDir: root,
  entryPoints,
  outbase: src,
  outdir: path.join(root, 'dist'),
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  tsconfig: path.join(root, 'tsconfig.json'),
  chunkNames: 'chunks/[name]-[hash]',
  sourcemap: true,
  // Error classes keep their names (the error renderer and oclif's parse-error check read them).
  keepNames: true,
  // Loaded from node_modules as before: typescript is optional at run time (oclif's tsconfig
  // reader and cosmiconfig require it inside a try; 10 MB in every start otherwise), and the .ts
  // config loader (jiti) loads its own files by path, which a bundle breaks. Both load only on use.
  external: ['typescript', 'cosmiconfig-typescript-loader'],
  // oclif's CommonJS code calls require(); an ESM bundle has none of its own.
  banner: {js: "import {createRequire as __tradaiCreateRequire} from 'node:module'; const require = __tradaiCreateRequire(import.meta.url);"},
  logLevel: 'warning',
  // BUNDLE_META=file.json writes esbuild's metafile (what each output holds), to see what a start loads.
  metafile: Boolean(process.env.BUNDLE_META),
})
if (result.metafile) (await import('node:fs')).writeFileSync(process.env.BUNDLE_META, JSON.stringify(result.metafile))
