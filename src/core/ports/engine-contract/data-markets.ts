import * as z from 'zod'

import {absPath} from './common.js'

/** `data-markets`: save the exchange's markets as the offline snapshot backtests use. */
export const request = z.strictObject({userDataDir: absPath, exchange: z.string()})
export const result = z.looseObject({file: z.string(), count: z.number()})
