import * as z from 'zod'

import {absPath, dataFields} from './common.js'

/** `strategy-config`: the effective Freqtrade config a run of one strategy would use (or one edit of its configuration). */
export const request = z.strictObject({
  strategy: z.string().min(1),
  strategyPath: absPath,
  userDataDir: absPath,
  runDir: absPath.nullish(),
  ...dataFields,
  strategyConfigFragment: z.record(z.string(), z.unknown()).nullish(),
  strategyConfigEdit: z.strictObject({key: z.string().min(1), value: z.unknown().optional(), unset: z.boolean().optional()}).nullish(),
})

const strategy = z.looseObject({name: z.string(), className: z.string(), file: z.string()})

export const result = z.union([
  z.looseObject({
    strategy,
    configFile: z.string(),
    exists: z.boolean(),
    fragment: z.record(z.string(), z.unknown()).nullable(),
    config: z.record(z.string(), z.unknown()),
    sources: z.record(z.string(), z.string()),
    files: z.array(z.looseObject({file: z.string(), role: z.string()})),
    warnings: z.array(z.string()),
  }),
  // strategyConfigEdit: the edited fragment, for core to write.
  z.looseObject({strategy, configFile: z.string(), fragment: z.record(z.string(), z.unknown()), changed: z.boolean(), previous: z.unknown()}),
])
