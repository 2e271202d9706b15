import * as z from 'zod'

/** `credentials-spec`: what ccxt says an exchange requires (`requiredCredentials`). */
export const request = z.strictObject({exchange: z.string().min(1)})
export const result = z.looseObject({exchange: z.string(), required: z.array(z.string())})
