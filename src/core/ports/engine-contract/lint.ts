import * as z from 'zod'

import {absPath, userConfigFields} from './common.js'

/** `lint`: static rules on strategy files; with `deep`, Freqtrade's lookahead/recursive analyses. */
export const request = z.strictObject({
  paths: z.array(absPath),
  names: z.array(z.string()),
  strategyPath: absPath,
  deep: z.boolean(),
  userDataDir: absPath,
  exchange: z.string().nullish(),
  pairs: z.array(z.string()).nullish(),
  timerange: z.string().nullish(),
  ...userConfigFields(),
})

export const severity = z.enum(['error', 'warning', 'info'])

export const finding = z.looseObject({
  ruleId: z.string(),
  severity,
  file: z.string(),
  line: z.number().int(),
  column: z.number().int(),
  endLine: z.number().int().optional(),
  endColumn: z.number().int().optional(),
  message: z.string(),
  fix: z.string(),
  strategy: z.string().nullable(),
})

export const rule = z.looseObject({id: z.string(), name: z.string(), description: z.string(), severity})

export const strategy = z.looseObject({name: z.string(), className: z.string(), file: z.string(), line: z.number(), baseClass: z.string()})

export const result = z.looseObject({findings: z.array(finding), strategies: z.array(strategy), rules: z.array(rule)})
