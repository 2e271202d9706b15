import {createHash} from 'node:crypto'
import {readFile} from 'node:fs/promises'

/**
 * The identity of a registered strategy: sha256 over the strategy file's bytes, a NUL, and the
 * params file's bytes (nothing when there is none), and, when the strategy has a configuration
 * (`<stem>.config.json`), a NUL and its bytes: a strategy is its code and its configuration.
 * Without a configuration the hash is what it always was. Names and paths are left out on
 * purpose: the same code in another folder is the same strategy; one changed byte is not.
 */
export function codeHash(strategySource: Buffer, paramsSource: Buffer | null, configSource: Buffer | null = null): string {
  const hash = createHash('sha256')
    .update(strategySource)
    .update(Buffer.from([0]))
    .update(paramsSource ?? Buffer.alloc(0))
  if (configSource) hash.update(Buffer.from([0])).update(configSource)
  return hash.digest('hex')
}

export async function codeHashOfFiles(strategyFile: string, paramsFile: string | null, configFile: string | null = null): Promise<string> {
  return codeHash(await readFile(strategyFile), paramsFile ? await readFile(paramsFile) : null, configFile ? await readFile(configFile) : null)
}
