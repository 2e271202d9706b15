import {parseCriterion} from '../challenge/criteria.js'
import type {TradaiConfig} from '../config/schema.js'
import type {PromotionPolicy} from './plan.js'

/** The promotion policy from config (`gates`), never from the caller: the CLI and the HTTP API use this one. */
export function promotionPolicy(config: TradaiConfig): PromotionPolicy {
  return {
    challengeCriteria: config.gates.challenge.criteria.map((text) => parseCriterion(text, 'gates.challenge.criteria')),
    shadow: config.gates.shadow,
  }
}
