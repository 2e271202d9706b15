import axios, {type AxiosInstance, type AxiosRequestConfig, type AxiosResponse} from 'axios'
import type {z} from 'zod'

import {sleep} from '../../core/wait.js'
import {abortError, NotFoundError, TrackingError} from '../../core/errors.js'

/** How tradai authenticates to MLflow: the same variables MLflow's own client reads. */
export interface MlflowAuth {
  username?: string
  password?: string
  token?: string
}

export interface MlflowConnection {
  uri: string
  auth?: MlflowAuth
  /** Retries for idempotent calls on connection errors and 5xx (default 3). */
  retries?: number
  /** First backoff in ms; doubles per retry (default 200). */
  backoffMs?: number
  /** Per-request timeout in ms (default 30 s; uploads: this long without progress). */
  timeoutMs?: number
}

export interface CallOptions<T> {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT'
  path: string
  params?: Record<string, unknown>
  body?: unknown
  /** Safe to repeat: only these are retried (a repeated create could make two runs). */
  idempotent: boolean
  /** Validates the answer: a server that is not MLflow answers something else. */
  schema: z.ZodType<T>
  signal?: AbortSignal
}

// Not ECONNABORTED (axios' request timeout): a server that accepted and never answered is not asked again, the run goes to the outbox.
const RETRY_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ERR_NETWORK'])
const MESSAGE_LIMIT = 400

/**
 * The transport under the MLflow client: base URL, auth, retries with backoff, and one mapping
 * from HTTP failures to tradai errors. Credentials live only in the axios instance's headers;
 * no message ever includes them (URLs are shown without user info).
 */
export class MlflowHttp {
  readonly uri: string
  private readonly axios: AxiosInstance
  private readonly retries: number
  private readonly backoffMs: number
  private readonly authKind: 'basic' | 'bearer' | 'none'
  readonly timeoutMs: number

  constructor(connection: MlflowConnection) {
    const {base, userInfo} = splitUserInfo(connection.uri)
    this.uri = base
    const auth = {...userInfo, ...definedOnly(connection.auth ?? {})}
    const headers: Record<string, string> = {}
    // MLflow's own rule: username+password → Basic, else a token → Bearer.
    if (auth.username && auth.password) {
      headers.Authorization = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`
      this.authKind = 'basic'
    } else if (auth.token) {
      headers.Authorization = `Bearer ${auth.token}`
      this.authKind = 'bearer'
    } else this.authKind = 'none'

    this.timeoutMs = connection.timeoutMs ?? 30_000
    this.axios = axios.create({
      baseURL: base,
      headers,
      timeout: this.timeoutMs,
      // Every status is inspected here, so axios never builds an error that holds the request headers.
      validateStatus: () => true,
      maxRedirects: 0,
      // Never pick up HTTP(S)_PROXY for a loopback server; axios' proxy handling is opt-in.
      proxy: false,
    })
    this.retries = connection.retries ?? 3
    this.backoffMs = connection.backoffMs ?? 200
  }

  /** One REST call, retried when safe, answered or mapped to a TrackingError / NotFoundError. */
  async call<T>(options: CallOptions<T>): Promise<T> {
    const response = await this.send(
      {
        method: options.method,
        url: options.path,
        params: options.params,
        data: options.body,
        signal: options.signal,
      },
      options.idempotent,
      options.path,
      options.signal,
    )
    return this.parse(response, options.path, options.schema)
  }

  /** A raw request (artifact bytes); same retries and error mapping, the body as given. */
  async raw(config: AxiosRequestConfig, idempotent: boolean, signal?: AbortSignal): Promise<AxiosResponse> {
    // A config's own signal (an upload's stall timer) wins; `signal` is the caller's abort.
    const response = await this.send({...config, signal: config.signal ?? signal}, idempotent, config.url ?? '', signal)
    if (response.status >= 200 && response.status < 300) return response
    throw this.statusError(response, config.url ?? '')
  }

  private async send(config: AxiosRequestConfig, idempotent: boolean, what: string, signal?: AbortSignal): Promise<AxiosResponse> {
    for (let attempt = 0; ; attempt++) {
      let response: AxiosResponse | undefined
      let failure: unknown
      try {
        response = await this.axios.request(config)
      } catch (error) {
        if (signal?.aborted) throw abortError(signal)
        failure = error
      }

      const retryable = failure === undefined ? response!.status >= 500 || response!.status === 429 : RETRY_CODES.has(errorCode(failure))
      if (!retryable || !idempotent || attempt >= this.retries) {
        if (failure !== undefined) throw this.connectionError(failure, what)
        if (response!.status >= 200 && response!.status < 300) return response!
        throw this.statusError(response!, what)
      }

      await sleep(this.backoffMs * 2 ** attempt, signal)
    }
  }

  private parse<T>(response: AxiosResponse, what: string, schema: z.ZodType<T>): T {
    if (response.status < 200 || response.status >= 300) throw this.statusError(response, what)
    const body: unknown = typeof response.data === 'string' ? tryJson(response.data) : response.data
    const parsed = schema.safeParse(body)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      throw new TrackingError(
        `MLflow at ${this.uri} answered ${what} with something unexpected${issue ? ` (at "${issue.path.join('.')}": ${issue.message})` : ''}: ${preview(response.data)}`,
        {
          code: 'TRACKING_MALFORMED',
          suggestions: ['Check that the tracking URI points at an MLflow server (e.g. `curl <uri>/version`), not another web service.'],
        },
      )
    }

    return parsed.data
  }

  private connectionError(error: unknown, what: string): TrackingError {
    const code = errorCode(error)
    const reason =
      code === 'ECONNREFUSED'
        ? 'refused the connection'
        : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
          ? 'is an unknown host'
          : code === 'ETIMEDOUT' || code === 'ECONNABORTED'
            ? 'did not answer in time'
            : `could not be reached (${code || (error as Error).message})`
    return new TrackingError(`MLflow at ${this.uri} ${reason} (${what}).`, {
      code: 'TRACKING_UNREACHABLE',
      details: {uri: this.uri, reason: code || 'network'},
      suggestions: ['Start the local server with `tradai tracking start`, or point tracking.uri (TRADAI_MLFLOW_TRACKING_URI / MLFLOW_TRACKING_URI) at a running one.'],
    })
  }

  private statusError(response: AxiosResponse, what: string): TrackingError {
    const body = (typeof response.data === 'string' ? tryJson(response.data) : response.data) as {error_code?: unknown; message?: unknown} | undefined
    const errorCodeValue = typeof body?.error_code === 'string' ? body.error_code : undefined
    const serverMessage = typeof body?.message === 'string' ? firstLine(body.message) : undefined
    const details = {uri: this.uri, status: response.status, ...(errorCodeValue ? {errorCode: errorCodeValue} : {})}
    const status = response.status
    if (status === 401 || status === 403) {
      const sent =
        this.authKind === 'basic'
          ? 'Basic credentials from tracking.username/tracking.password (MLFLOW_TRACKING_USERNAME / MLFLOW_TRACKING_PASSWORD)'
          : this.authKind === 'bearer'
            ? 'the token from tracking.token (MLFLOW_TRACKING_TOKEN)'
            : 'no credentials'
      return new TrackingError(
        `MLflow at ${this.uri} ${status === 401 ? 'rejected the credentials' : 'refused the request (permission denied)'} (HTTP ${status} for ${what}); tradai sent ${sent}.`,
        {
          code: status === 401 ? 'TRACKING_UNAUTHORIZED' : 'TRACKING_FORBIDDEN',
          details,
          suggestions: [
            status === 401
              ? 'Set MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD, or MLFLOW_TRACKING_TOKEN, to credentials the server accepts.'
              : 'Ask the server admin for permission on this experiment or model, or use an account that has it.',
          ],
        },
      )
    }

    if (errorCodeValue === 'RESOURCE_DOES_NOT_EXIST' || (status === 404 && errorCodeValue)) {
      return new NotFoundError(`MLflow: ${serverMessage ?? `not found (${what})`}`, {code: 'TRACKING_NOT_FOUND', details})
    }

    if (status === 404) {
      return new TrackingError(`No MLflow REST API at ${this.uri} (HTTP 404 for ${what}).`, {
        code: 'TRACKING_BAD_URI',
        details,
        suggestions: ['Check the tracking URI: it is the server root (e.g. http://127.0.0.1:5000), without /api or a UI path.'],
      })
    }

    const text = serverMessage ?? preview(response.data)
    return new TrackingError(
      `MLflow at ${this.uri} ${status >= 500 ? 'failed' : 'refused the request'} (HTTP ${status}${errorCodeValue ? ` ${errorCodeValue}` : ''} for ${what})${text ? `: ${text}` : ''}`,
      {
        code: status >= 500 ? 'TRACKING_SERVER_ERROR' : 'TRACKING_REQUEST',
        details,
        suggestions: status >= 500 ? ['The server failed; see its log (`server.log` in tracking.serverDir for `tradai tracking start`).'] : [],
      },
    )
  }
}

/** True when `error` is MLflow's answer with this `error_code` (e.g. RESOURCE_ALREADY_EXISTS). */
export function isMlflowError(error: unknown, code: string): boolean {
  return (error as {details?: {errorCode?: unknown}} | undefined)?.details?.errorCode === code
}

function splitUserInfo(uri: string): {base: string; userInfo: MlflowAuth} {
  try {
    const url = new URL(uri)
    const userInfo: MlflowAuth = url.username ? {username: decodeURIComponent(url.username), password: decodeURIComponent(url.password)} : {}
    url.username = ''
    url.password = ''
    return {base: url.toString().replace(/\/+$/, ''), userInfo}
  } catch {
    return {base: uri.replace(/\/+$/, ''), userInfo: {}}
  }
}

function definedOnly(auth: MlflowAuth): MlflowAuth {
  return Object.fromEntries(Object.entries(auth).filter(([, value]) => value !== undefined && value !== '')) as MlflowAuth
}

function errorCode(error: unknown): string {
  return String((error as {code?: unknown})?.code ?? '')
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

function firstLine(text: string): string {
  // MLflow appends SQL and driver detail after the first line; the first line is the message.
  const line = text.split('\n')[0]!.replace(/ Error: \(\w+\.\w+\).*$/, '')
  return line.length > MESSAGE_LIMIT ? `${line.slice(0, MESSAGE_LIMIT)}…` : line
}

function preview(data: unknown): string {
  const text = typeof data === 'string' ? data : data === undefined ? '' : JSON.stringify(data)
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > 120 ? `${flat.slice(0, 120)}…` : flat || '(empty body)'
}
