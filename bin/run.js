#!/usr/bin/env node
// Source maps only when a stack trace may be printed (--verbose, DEBUG): they name src/ files.
if (process.argv.includes('--verbose') || process.env.DEBUG) process.setSourceMapsEnabled(true)
// The bundled oclif (scripts/bundle.mjs): the same copy dist/commands extend.
const {execute} = await import('../dist/oclif.js')

await execute({dir: import.meta.url})
