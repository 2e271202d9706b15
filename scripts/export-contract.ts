/**
 * `npm run contract`: writes the bridge contract (src/core/ports/engine-contract) as JSON Schema
 * into python/tradai_engine/contract/schema.json, the file the Python bridge validates against.
 * `--check` only compares and fails when the committed file is stale.
 */
import {readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

import {contractJsonSchema} from '../src/core/ports/engine-contract/json-schema.js'

const file = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'python', 'tradai_engine', 'contract', 'schema.json')
const text = `${JSON.stringify(contractJsonSchema(), null, 2)}\n`
if (process.argv.includes('--check')) {
  let committed = ''
  try {
    committed = readFileSync(file, 'utf8')
  } catch {}

  if (committed !== text) {
    console.error(`${file} is stale: run \`npm run contract\` and commit it.`)
    process.exit(1)
  }
} else {
  writeFileSync(file, text)
  console.error(`wrote ${file}`)
}
