import * as z from 'zod'

/** `versions`: the engine's package versions (engine setup's verify step, doctor). */
export const request = z.strictObject({})
export const result = z.looseObject({
  python: z.string(),
  pythonVersion: z.string(),
  packages: z.record(z.string(), z.string().nullable()),
})
