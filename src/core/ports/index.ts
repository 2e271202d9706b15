/** Core's ports: what core needs from the outside world, in tradai's own types. */
export type {EnginePort, OperationName, RequestOf, ResultOf} from './engine.js'
export type * from './tracking.js'
export type * from './registry.js'
export {systemClock, type ClockPort} from './clock.js'
