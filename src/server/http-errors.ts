import type {FastifyError, FastifyReply} from 'fastify'
import {hasZodFastifySchemaValidationErrors} from 'fastify-type-provider-zod'

import {errorJson} from '../cli/render-error.js'
import {ExitCode, TradaiError, toTradaiError} from '../core/errors.js'

/** The HTTP status for a tradai exit code: the same failure, said the way HTTP says it. */
export function httpStatus(error: TradaiError): number {
  switch (error.exitCode) {
    case ExitCode.usage: {
      return error.code === 'INVALID_REQUEST' ? 422 : 400
    }

    case ExitCode.checkFailed: {
      return 409
    }

    case ExitCode.engine: {
      return 502
    }

    case ExitCode.tracking: {
      return 503
    }

    case ExitCode.notFound: {
      return 404
    }

    case ExitCode.interrupted:
    case ExitCode.terminated: {
      return 409
    }

    default: {
      return 500
    }
  }
}

/** 401: no token, or the wrong one (which of the two is not said). */
export class UnauthorizedError extends TradaiError {
  constructor() {
    super('UNAUTHORIZED', ExitCode.usage, 'Missing or wrong bearer token.', {
      suggestions: ['Send the header "Authorization: Bearer <TRADAI_API_TOKEN>".'],
    })
  }
}

/**
 * Any error a route or fastify raised, as the CLI's error document with its status. Never a
 * stack: a bug says it is one (70 → 500) and the log line has the route.
 */
export function toHttpError(raw: unknown): {status: number; error: TradaiError} {
  if (raw instanceof UnauthorizedError) return {status: 401, error: raw}
  if (hasZodFastifySchemaValidationErrors(raw)) {
    const where = (raw as {validationContext?: string}).validationContext ?? 'body'
    const issues = raw.validation.map((issue) => {
      const field = issue.instancePath.replace(/^\//, '').replaceAll('/', '.')
      const params = issue.params as {keys?: string[]}
      // An unknown key is named by the key itself, not by its parent.
      const fields = params.keys?.length ? params.keys.map((key) => (field ? `${field}.${key}` : key)) : [field]
      return {field: fields.join(', '), message: issue.message}
    })
    const text = issues.map((issue) => `"${issue.field || where}": ${issue.message}`).join('; ')
    return {
      status: 422,
      error: new TradaiError('INVALID_REQUEST', ExitCode.usage, `Invalid request ${where}: ${text}`, {
        suggestions: ['See /openapi.json for the fields this route takes.'],
        details: {in: where, issues},
      }),
    }
  }

  if (raw instanceof TradaiError) return {status: httpStatus(raw), error: raw}
  const fastifyError = raw as FastifyError
  if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return {status: fastifyError.statusCode, error: new TradaiError(fastifyError.code ?? 'BAD_REQUEST', ExitCode.usage, fastifyError.message)}
  }

  const error = toTradaiError(raw)
  return {status: httpStatus(error), error}
}

export function sendError(reply: FastifyReply, raw: unknown): FastifyReply {
  const {status, error} = toHttpError(raw)
  return reply.code(status).type('application/json').send(errorJson(error))
}
