import * as z from 'zod'

import {ENGINE_OPERATIONS} from './index.js'
import {vocabularyJson} from './vocabulary.js'

/**
 * The contract as one JSON document (JSON Schema 2020-12 per request and result), the file the
 * Python side validates against. Deterministic, so a test can compare it with the committed copy.
 */
export function contractJsonSchema(): Record<string, unknown> {
  const operations: Record<string, unknown> = {}
  for (const [name, op] of Object.entries(ENGINE_OPERATIONS)) {
    operations[name] = {
      request: z.toJSONSchema(op.request, {io: 'input', unrepresentable: 'throw', reused: 'ref'}),
      result: z.toJSONSchema(op.result, {io: 'output', unrepresentable: 'throw', reused: 'ref'}),
    }
  }

  return {
    $comment: 'Generated from src/core/ports/engine-contract by `npm run contract`; do not edit.',
    operations,
    vocabulary: vocabularyJson(),
  }
}
