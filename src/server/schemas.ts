import * as z from 'zod'

import {CRITERION_METRICS} from '../core/challenge/criteria.js'
import {configSchema} from '../core/config/schema.js'
import {ENGINES} from '../core/hyperopt/request.js'
import {JOB_ID_PATTERN, JOB_STATUSES} from './jobs/job-store.js'

/**
 * Request bodies: the command's flags in camelCase, validated with the config schema's own
 * rules. Strict: an unknown field (a folder, say: folders come only from the server's config)
 * is refused by name. Data fields are config keys, so they layer over the server's config
 * exactly as flags do.
 */
const shape = configSchema.shape
export const dataFields = {
  exchange: shape.exchange.optional(),
  pairs: shape.pairs,
  timeframe: shape.timeframe,
  timerange: shape.timerange,
  stakeAmount: shape.stakeAmount,
  startingBalance: shape.startingBalance,
  maxOpenTrades: shape.maxOpenTrades,
  fee: shape.fee,
  // The store itself (data.arcticUri) stays the server's, like its folders and study storage: a URI names a path or carries credentials.
  dataSource: shape.data.shape.source.optional().describe("Read candles from files or the server's ArcticDB store (--data-source; config data.source)."),
}

/** Body fields that are config keys under another name. */
export const BODY_CONFIG_KEYS: Record<string, string> = {dataSource: 'data.source'}

export const DATA_KEYS = Object.keys(dataFields) as Array<keyof typeof dataFields>

export const strategyName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/, 'a strategy name (class or metadata name), not a path')
export const paramName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a parameter name like buy_rsi')

export const backtestBody = z.strictObject({
  strategy: strategyName,
  ...dataFields,
  params: z
    .record(paramName, z.union([z.string(), z.number(), z.boolean()]))
    .optional()
    .describe('Strategy parameter overrides (--param name=value).'),
  track: z.boolean().optional().describe('Record the run in MLflow (default true; --no-track).'),
})

export const challengeBody = z.strictObject({
  strategy: strategyName,
  version: z.number().int().min(1).optional(),
  criteria: z.array(z.string().min(1)).optional().describe('Criteria "metric op value", beatsMarket, beatsProduction (--criterion); default challenge.criteria.'),
  productionMetric: z.enum(CRITERION_METRICS).optional(),
  oosTimerange: shape.timerange,
  monteCarlo: z.number().int().min(1).optional(),
  mcPercentile: z.number().min(1).max(100).optional(),
  maxMcDrawdown: z.number().positive().max(1).optional(),
  mcSeed: z.number().int().optional(),
  wfTrainDays: z.number().int().min(1).optional().describe('Walk-forward train days for wf* criteria (--wf-train-days).'),
  wfTestDays: z.number().int().min(1).optional().describe('Walk-forward test days for wf* criteria (--wf-test-days).'),
  wfWindows: z.number().int().min(1).optional(),
  wfEpochs: z.number().int().min(1).optional(),
  wfSeed: z.number().int().optional(),
  ...dataFields,
})

/** `hyperopt run`'s flags; storage and folders stay the server's (a storage URL carries credentials). */
export const hyperoptBody = z.strictObject({
  strategy: strategyName,
  engine: z.enum(ENGINES).optional(),
  epochs: z.number().int().min(1).max(100_000).optional(),
  spaces: z.array(z.string().regex(/^[a-z]+$/, 'a space like buy, sell, roi, stoploss, trailing, protection, trades, default or all')).optional(),
  loss: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'a Freqtrade loss class like SharpeHyperOptLoss')
    .optional(),
  minTrades: z.number().int().min(0).optional(),
  study: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]+$/, 'a study name')
    .optional(),
  objectives: z.array(z.string().regex(/^[a-z]+$/)).optional(),
  oosTimerange: shape.timerange,
  oosFraction: z.number().gt(0).lt(1).optional(),
  topK: z.number().int().min(1).optional(),
  export: z.boolean().optional().describe('Write the best params beside the strategy (default true; --no-export).'),
  jobs: z.number().int().min(1).max(64).optional(),
  seed: z.number().int().optional(),
  sampler: z.enum(['tpe', 'nsga2', 'cmaes', 'random', 'gp']).optional(),
  track: z.boolean().optional(),
  ...dataFields,
})

export const lintBody = z.strictObject({
  strategies: z.array(strategyName).optional().describe("Strategy names (default: every strategy in the server's strategies folder)."),
  strict: z.boolean().optional(),
  deep: z.boolean().optional(),
  exchange: dataFields.exchange,
  pairs: dataFields.pairs,
  timerange: dataFields.timerange,
})

export const registrationBody = z.strictObject({strategy: strategyName})

const reason = z.string().min(1).max(2000)
export const promotionBody = z.strictObject({
  strategy: strategyName,
  to: z.enum(['staged', 'promoted']),
  version: z.number().int().min(1).optional(),
  reason: reason.optional(),
  force: z.boolean().optional(),
})

export const planBody = z.strictObject({
  strategy: strategyName,
  to: z.enum(['staged', 'promoted']).optional(),
  rollback: z.boolean().optional(),
  version: z.number().int().min(1).optional(),
  reason: reason.optional(),
  force: z.boolean().optional(),
})

export const rollbackBody = z.strictObject({strategy: strategyName, reason: reason.optional(), dryRun: z.boolean().optional()})

export const nameParams = z.strictObject({name: strategyName})
export const studyParams = z.strictObject({study: z.string().regex(/^[A-Za-z0-9_.:-]+$/, 'a study name')})
export const jobParams = z.strictObject({id: z.string().regex(JOB_ID_PATTERN, 'a job id like job-20260101-120000-0a1b2c3d')})

export const jobAccepted = z.object({
  jobId: z.string(),
  status: z.enum(JOB_STATUSES),
  links: z.object({self: z.string(), events: z.string()}),
})

export const errorDocument = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    exitCode: z.number().int(),
    suggestions: z.array(z.string()),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
})

/** A CLI --json document, passed through as is (its JSON Schema, where the project has one, is named). */
export function cliDocument(command: string, schema?: string): z.ZodType {
  return z.looseObject({}).describe(`The document \`tradai ${command} --json\` prints${schema ? `: docs/schemas/${schema}.schema.json` : ''}.`)
}
