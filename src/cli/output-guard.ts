import {redact} from '../core/redact.js'

const secrets = new Set<string>()
let installed = false

/** Adds values the guard must never let through (the config's passwords once it is loaded). */
export function guardSecrets(values: readonly string[]): void {
  for (const value of values) secrets.add(value)
}

/**
 * The last line of defence on every output path: everything written to stdout and stderr
 * (results, --json documents, progress, engine logs, errors, stack traces) goes through
 * `redact` (../core/redact.ts), which drops URL user-info and every known secret value.
 */
export function installOutputGuard(initial: readonly string[]): void {
  guardSecrets(initial)
  if (installed) return
  installed = true
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (...args: unknown[]) => boolean
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      const list = [...secrets]
      if (typeof chunk === 'string') return write(redact(chunk, list), ...rest)
      if (chunk instanceof Uint8Array) {
        const text = Buffer.from(chunk).toString('utf8')
        const clean = redact(text, list)
        return write(clean === text ? chunk : clean, ...rest)
      }

      return write(chunk, ...rest)
    }) as typeof stream.write
  }
}
