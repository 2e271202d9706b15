// The registry port lives in src/core/ports/registry.ts; re-exported here for one session so
// open branches that import it from this path still build.
export type {RegistryPort} from '../ports/registry.js'
