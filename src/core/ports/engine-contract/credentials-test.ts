import * as z from 'zod'

/** `credentials-test`: checks the keys passed as this process's FREQTRADE__EXCHANGE__* environment (never in the request). */
export const request = z.strictObject({exchange: z.string().min(1), online: z.boolean(), apiUrl: z.string().nullable()})
export const result = z.looseObject({
  exchange: z.string(),
  verified: z.enum(['offline', 'online']),
  checks: z.array(z.strictObject({check: z.string(), passed: z.boolean(), detail: z.string()})),
  warnings: z.array(z.string()),
})
