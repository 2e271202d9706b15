import {existsSync} from 'node:fs'

import {UsageError} from '../core/errors.js'
import type {CredentialStoreAccess} from '../core/credentials/types.js'

export const PASSPHRASE_ENV = 'TRADAI_CREDENTIALS_PASSPHRASE'

/**
 * Reads a line from the terminal without echoing it (raw mode; backspace works, Ctrl-C
 * exits 130). The prompt goes to stderr so stdout stays the command's result.
 */
export async function readHidden(prompt: string): Promise<string> {
  const {stdin, stderr} = process
  if (!stdin.isTTY) throw new UsageError('No terminal to prompt on.')
  stderr.write(prompt)
  stdin.setRawMode(true)
  stdin.resume()
  stdin.setEncoding('utf8')
  return new Promise((resolve) => {
    let value = ''
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n' || char === '\u0004') {
          stdin.setRawMode(false)
          stdin.pause()
          stdin.off('data', onData)
          stderr.write('\n')
          resolve(value)
          return
        }

        if (char === '\u0003') {
          stdin.setRawMode(false)
          stderr.write('\n')
          process.exit(130)
        }

        value = char === '\u007F' || char === '\b' ? value.slice(0, -1) : value + char
      }
    }

    stdin.on('data', onData)
  })
}

/** All of stdin (piped input), as lines without their line endings. */
export async function readStdinLines(): Promise<string[]> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)
}

/**
 * The store as core sees it: its file and a passphrase source. TRADAI_CREDENTIALS_PASSPHRASE
 * first; else a hidden prompt (twice when creating a store) if stdin is a terminal; never a flag.
 * The passphrase is asked once per command.
 */
export function storeAccess(file: string, env: NodeJS.ProcessEnv): CredentialStoreAccess & {ask: () => Promise<void>} {
  let known: string | undefined = env[PASSPHRASE_ENV] || undefined
  const passphrase = async (purpose: 'unlock' | 'create'): Promise<string> => {
    if (known !== undefined) return known
    if (!process.stdin.isTTY) {
      throw new UsageError(`The credentials store needs a passphrase and there is no terminal to ask for it.`, {
        suggestions: [`Set ${PASSPHRASE_ENV} in the environment (never on the command line).`],
      })
    }

    const first = await readHidden(purpose === 'create' ? `New passphrase for ${file}: ` : `Passphrase for ${file}: `)
    if (purpose === 'create' && (await readHidden('Repeat the passphrase: ')) !== first) {
      throw new UsageError('The two passphrases differ; nothing was saved.')
    }

    known = first
    return first
  }

  return {
    file,
    passphrase,
    // Prompts before progress output starts, so a terminal prompt is not drawn over.
    async ask() {
      await passphrase(existsSync(file) ? 'unlock' : 'create')
    },
  }
}
