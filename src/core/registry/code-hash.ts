import {createHash} from 'node:crypto'
import {readFile} from 'node:fs/promises'

/**
 * The identity of a registered strategy: sha256 over the strategy file's bytes, a NUL, and the
 * params file's bytes (nothing when there is none). Names and paths are left out on purpose: the
 * same code in another folder is the same strategy; one changed byte of code or params is not.
 */
export function codeHash(strategySource: Buffer, paramsSource: Buffer | null): string {
  return createHash('sha256')
    .update(strategySource)
    .update(Buffer.from([0]))
    .update(paramsSource ?? Buffer.alloc(0))
    .digest('hex')
}

export async function codeHashOfFiles(strategyFile: string, paramsFile: string | null): Promise<string> {
  return codeHash(await readFile(strategyFile), paramsFile ? await readFile(paramsFile) : null)
}
