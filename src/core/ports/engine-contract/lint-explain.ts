import * as z from 'zod'

import {severity} from './lint.js'

/** `lint-explain`: one lint rule by id or name, with why it exists and a bad and a good example. */
export const request = z.strictObject({rule: z.string().min(1)})

export const result = z.looseObject({
  rule: z.looseObject({
    id: z.string(),
    name: z.string(),
    severity,
    description: z.string(),
    explanation: z.string(),
    bad: z.string(),
    good: z.string(),
  }),
})
