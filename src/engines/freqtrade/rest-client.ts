import {TrackingError} from '../../core/errors.js'

const TIMEOUT_MS = 5000

/**
 * A running Freqtrade bot's REST API (rpc/api_server), HTTP basic auth, on 127.0.0.1: what
 * `freqtrade_client.FtRestClient` calls, in a few lines. Paths like `profit`, `count`, `stop`.
 */
export function freqtradeApi(credentials: {url: string; username: string; password: string}) {
  const auth = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`
  const call = async <T>(method: 'GET' | 'POST', name: string, signal?: AbortSignal): Promise<T> => {
    const response = await fetch(`${credentials.url}/api/v1/${name}`, {
      method,
      headers: {authorization: auth, accept: 'application/json'},
      signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(TIMEOUT_MS)]) : AbortSignal.timeout(TIMEOUT_MS),
    })
    if (!response.ok) throw new TrackingError(`The shadow bot's API answered ${response.status} to ${method} /api/v1/${name}.`, {code: 'SHADOW_API'})
    return (await response.json()) as T
  }

  return {
    get: async <T>(name: string, signal?: AbortSignal) => call<T>('GET', name, signal),
    post: async <T>(name: string, signal?: AbortSignal) => call<T>('POST', name, signal),
  }
}

export type FreqtradeApi = ReturnType<typeof freqtradeApi>
