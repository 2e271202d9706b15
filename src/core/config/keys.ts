import type {z} from 'zod'

import {configSchema} from './schema.js'

type Node = {_zod: {def: {type: string; innerType?: Node; shape?: Record<string, Node>}}}

/** Optional, default and nullable wrappers hide the object inside. */
function unwrap(node: Node): Node {
  let inner = node
  while (inner._zod.def.innerType && ['optional', 'default', 'nullable', 'prefault'].includes(inner._zod.def.type)) inner = inner._zod.def.innerType
  return inner
}

/**
 * Every dotted key the config schema knows, in schema order (objects descended into, arrays
 * and scalars are leaves): what `config show` lists, set or not.
 */
export function configKeys(schema: z.ZodObject = configSchema): string[] {
  const keys: string[] = []
  const walk = (node: Node, prefix: string) => {
    const inner = unwrap(node)
    if (inner._zod.def.type === 'object' && inner._zod.def.shape) {
      for (const [key, child] of Object.entries(inner._zod.def.shape)) walk(child, prefix ? `${prefix}.${key}` : key)
      return
    }

    keys.push(prefix)
  }

  walk(schema as unknown as Node, '')
  return keys
}
