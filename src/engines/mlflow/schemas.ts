import * as z from 'zod'

/** MLflow REST answers, validated loosely (extra fields pass) but on the fields tradai reads. */
const keyValue = z.looseObject({key: z.string(), value: z.string().optional().default('')})

export const experimentSchema = z.looseObject({
  experiment_id: z.string(),
  name: z.string(),
  artifact_location: z.string().optional(),
  lifecycle_stage: z.string().optional(),
  tags: z.array(keyValue).optional(),
})

export const runInfoSchema = z.looseObject({
  run_id: z.string(),
  experiment_id: z.string(),
  run_name: z.string().optional(),
  status: z.string().optional(),
  start_time: z.coerce.number().optional(),
  end_time: z.coerce.number().optional(),
  artifact_uri: z.string().optional(),
  lifecycle_stage: z.string().optional(),
})

export const metricSchema = z.looseObject({
  key: z.string(),
  value: z.number().nullable().optional(),
  timestamp: z.coerce.number().optional(),
  step: z.coerce.number().optional(),
})

export const runSchema = z.looseObject({
  info: runInfoSchema,
  data: z
    .looseObject({
      metrics: z.array(metricSchema).optional(),
      params: z.array(keyValue).optional(),
      tags: z.array(keyValue).optional(),
    })
    .optional()
    .default({}),
})

export const fileInfoSchema = z.looseObject({
  path: z.string(),
  is_dir: z.boolean().optional().default(false),
  file_size: z.coerce.number().optional(),
})

export const modelVersionSchema = z.looseObject({
  name: z.string(),
  version: z.string(),
  creation_timestamp: z.coerce.number().optional(),
  last_updated_timestamp: z.coerce.number().optional(),
  current_stage: z.string().optional(),
  description: z.string().optional(),
  source: z.string().optional(),
  run_id: z.string().optional(),
  status: z.string().optional(),
  tags: z.array(keyValue).optional(),
  aliases: z.array(z.string()).optional(),
})

export const registeredModelSchema = z.looseObject({
  name: z.string(),
  creation_timestamp: z.coerce.number().optional(),
  last_updated_timestamp: z.coerce.number().optional(),
  description: z.string().optional(),
  latest_versions: z.array(modelVersionSchema).optional(),
  tags: z.array(keyValue).optional(),
  aliases: z.array(z.looseObject({alias: z.string(), version: z.string()})).optional(),
})

export const empty = z.looseObject({})

export type Experiment = z.infer<typeof experimentSchema>
export type RunInfo = z.infer<typeof runInfoSchema>
export type Run = z.infer<typeof runSchema>
export type FileInfo = z.infer<typeof fileInfoSchema>
export type ModelVersion = z.infer<typeof modelVersionSchema>
export type RegisteredModel = z.infer<typeof registeredModelSchema>
