import {createHash, timingSafeEqual} from 'node:crypto'

/** Routes anyone may call: liveness only. */
const OPEN_ROUTES = new Set(['/health'])

export function isOpenRoute(url: string): boolean {
  return OPEN_ROUTES.has(url.split('?')[0]!)
}

/**
 * Whether the Authorization header carries the token. Both sides are hashed first so the
 * comparison takes the same time whatever the length or content of the guess.
 */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? '')
  const given = createHash('sha256')
    .update(match?.[1]?.trim() ?? '')
    .digest()
  const expected = createHash('sha256').update(token).digest()
  return timingSafeEqual(given, expected) && match !== null
}

/** Loopback addresses: the only ones a server may listen on without a token. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host)
}
