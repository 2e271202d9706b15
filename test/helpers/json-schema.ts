import {readdirSync, readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import path from 'node:path'

import {REPO} from './paths.js'

// ajv and ajv-formats are CommonJS; require() gives their real exports without ESM interop guesswork.
const require = createRequire(import.meta.url)
const {Ajv2020} = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js')
const addFormats = (require('ajv-formats') as typeof import('ajv-formats')).default
const ajv = new Ajv2020({allErrors: true, strict: true, allowUnionTypes: true})
addFormats(ajv)
const SCHEMAS = path.join(REPO, 'docs/schemas')
// Every schema registered up front, so `$ref`s between them resolve.
for (const file of readdirSync(SCHEMAS).filter((name) => name.endsWith('.schema.json'))) {
  ajv.addSchema(JSON.parse(readFileSync(path.join(SCHEMAS, file), 'utf8')) as object)
}

/** The errors of `document` against docs/schemas/<name>.schema.json (empty when it conforms). */
export function schemaErrors(name: string, document: unknown): string[] {
  const schema = JSON.parse(readFileSync(path.join(SCHEMAS, `${name}.schema.json`), 'utf8')) as {$id: string}
  const validate = ajv.getSchema(schema.$id)
  if (!validate) throw new Error(`schema ${name} is not registered`)
  if (validate(document)) return []
  return (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? ''} ${JSON.stringify(error.params)}`)
}
