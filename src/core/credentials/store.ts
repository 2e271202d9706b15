import {createCipheriv, createDecipheriv, createHash, randomBytes, scrypt, timingSafeEqual} from 'node:crypto'
import {chmod, mkdir, open, readFile, rename, unlink} from 'node:fs/promises'
import path from 'node:path'

import {ConfigError} from '../errors.js'
import type {StoredCredential} from './types.js'

/**
 * The encrypted credentials file. Node's own crypto only: scrypt derives a key from the
 * passphrase and a random salt, AES-256-GCM encrypts and authenticates the entries with a
 * random nonce. The envelope is JSON holding only base64 bytes and KDF parameters, never
 * plaintext. A SHA-256 over the envelope's bytes tells a damaged file (readable without the
 * passphrase) from a wrong passphrase (GCM's tag fails on an intact file).
 */
const FORMAT = 'tradai-credentials' as const
const VERSION = 1
// 2^15 × 8 × 128 B = 32 MiB and ~0.1 s per unlock: OWASP's scrypt floor, cheap for a CLI.
const KDF = {N: 2 ** 15, r: 8, p: 1} as const
const SCRYPT_MAXMEM = 64 * 1024 * 1024

interface Envelope {
  format: typeof FORMAT
  version: number
  kdf: {name: 'scrypt'; N: number; r: number; p: number; salt: string}
  cipher: 'aes-256-gcm'
  nonce: string
  tag: string
  data: string
  checksum: string
}

interface Payload {
  entries: StoredCredential[]
}

const RECOVER = [
  'Restore the file from a backup, or move it aside and store the keys again with `tradai credentials set EXCHANGE`.',
  'tradai never overwrites a store it cannot read.',
]

/** The entries, or undefined when there is no file yet. Wrong passphrase and damaged file are both exit 2. */
export async function readStore(file: string, passphrase: () => Promise<string>): Promise<StoredCredential[] | undefined> {
  let raw: string
  try {
    raw = await readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new ConfigError(`Cannot read the credentials store ${file}: ${(error as Error).message}`, {code: 'CREDENTIALS_UNREADABLE'})
  }

  const envelope = parseEnvelope(file, raw)
  const key = await deriveKey(await passphrase(), Buffer.from(envelope.kdf.salt, 'base64'), envelope.kdf).catch((error: Error) => {
    throw corrupted(file, `its key parameters are unusable (${error.message})`)
  })
  let plaintext: Buffer
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(envelope.nonce, 'base64'))
    decipher.setAuthTag(Buffer.from(envelope.tag, 'base64'))
    plaintext = Buffer.concat([decipher.update(Buffer.from(envelope.data, 'base64')), decipher.final()])
  } catch {
    // The envelope is intact (checksum), so only the passphrase can be wrong. Say nothing more.
    throw new ConfigError(`Cannot decrypt the credentials store ${file}: wrong passphrase.`, {
      code: 'CREDENTIALS_DECRYPT',
      suggestions: ['Give the passphrase the store was created with (TRADAI_CREDENTIALS_PASSPHRASE, or type it at the prompt).'],
    })
  }

  try {
    const {entries} = JSON.parse(plaintext.toString('utf8')) as Payload
    if (!Array.isArray(entries)) throw new TypeError('entries')
    return entries
  } catch {
    throw corrupted(file, 'its decrypted content is not a credentials list')
  } finally {
    plaintext.fill(0)
  }
}

/** Encrypts and writes the entries: a 0600 temp file beside the store, fsynced, renamed over it. */
export async function writeStore(file: string, entries: StoredCredential[], passphrase: string): Promise<void> {
  const salt = randomBytes(16)
  const nonce = randomBytes(12)
  const key = await deriveKey(passphrase, salt, KDF)
  const cipher = createCipheriv('aes-256-gcm', key, nonce)
  const plaintext = Buffer.from(JSON.stringify({entries} satisfies Payload), 'utf8')
  const data = Buffer.concat([cipher.update(plaintext), cipher.final()])
  plaintext.fill(0)
  const fields = {
    format: FORMAT,
    version: VERSION,
    kdf: {name: 'scrypt' as const, ...KDF, salt: salt.toString('base64')},
    cipher: 'aes-256-gcm' as const,
    nonce: nonce.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    data: data.toString('base64'),
  }
  const envelope: Envelope = {...fields, checksum: checksum(fields)}

  const dir = path.dirname(file)
  await mkdir(dir, {recursive: true, mode: 0o700})
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
  // 'wx' + 0600: created fresh, never following someone's planted file, never world-readable.
  const handle = await open(temp, 'wx', 0o600)
  try {
    await handle.writeFile(`${JSON.stringify(envelope, null, 2)}\n`)
    await handle.sync()
    await handle.close()
    await chmod(temp, 0o600)
    await rename(temp, file)
  } catch (error) {
    await handle.close().catch(() => {})
    await unlink(temp).catch(() => {})
    throw new ConfigError(`Cannot write the credentials store ${file}: ${(error as Error).message}`, {
      code: 'CREDENTIALS_UNWRITABLE',
      suggestions: ['The previous store, if any, is unchanged.'],
    })
  }
}

function parseEnvelope(file: string, raw: string): Envelope {
  let envelope: Envelope
  try {
    envelope = JSON.parse(raw) as Envelope
  } catch {
    throw corrupted(file, raw.length === 0 ? 'it is empty' : 'it is not complete JSON (truncated?)')
  }

  if (envelope?.format !== FORMAT) throw corrupted(file, 'it is not a tradai credentials store')
  if (envelope.version !== VERSION) {
    throw new ConfigError(`The credentials store ${file} has format version ${String(envelope.version)}; this tradai reads version ${VERSION}.`, {
      code: 'CREDENTIALS_VERSION',
      suggestions: ['Use the tradai version that wrote it, or upgrade tradai.'],
    })
  }

  const {checksum: stored, ...fields} = envelope
  const ok = typeof stored === 'string' && stored.length === 64 && [fields.nonce, fields.tag, fields.data, fields.kdf?.salt].every((v) => typeof v === 'string')
  if (!ok || !timingSafeEqual(Buffer.from(stored, 'utf8'), Buffer.from(checksum(fields), 'utf8'))) {
    throw corrupted(file, 'its content does not match its checksum (damaged or edited)')
  }

  return envelope
}

function checksum(fields: Omit<Envelope, 'checksum'>): string {
  const {kdf} = fields
  const material = [fields.format, fields.version, kdf.name, kdf.N, kdf.r, kdf.p, kdf.salt, fields.cipher, fields.nonce, fields.tag, fields.data].join('\n')
  return createHash('sha256').update(material).digest('hex')
}

async function deriveKey(passphrase: string, salt: Buffer, kdf: {N: number; r: number; p: number}): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(passphrase.normalize('NFC'), salt, 32, {N: kdf.N, r: kdf.r, p: kdf.p, maxmem: SCRYPT_MAXMEM}, (error, key) => (error ? reject(error) : resolve(key)))
  })
}

function corrupted(file: string, why: string): ConfigError {
  return new ConfigError(`The credentials store ${file} is damaged: ${why}.`, {
    code: 'CREDENTIALS_CORRUPTED',
    suggestions: RECOVER,
  })
}
