import type { FastifyError, FastifyRequest } from 'fastify';
import { RequestError, TributaryError, asTributaryError } from '@tributary/common';
import { validationError, type SchemaIssue } from './validation-error.ts';

/** The stable codes of failures fastify itself detects, before a route's handler runs. */
export const HTTP_ERROR_CODES = {
  notFound: 'NOT_FOUND',
  invalidJson: 'INVALID_JSON',
  tooLarge: 'REQUEST_TOO_LARGE',
  unsupportedMediaType: 'UNSUPPORTED_MEDIA_TYPE',
  badRequest: 'BAD_REQUEST',
  /** A plugin's 4xx without a code of ours (e.g. @fastify/rate-limit's 429). */
  tooManyRequests: 'RATE_LIMITED',
  unauthorized: 'UNAUTHORIZED',
  forbidden: 'FORBIDDEN',
} as const;

/** Codes for the 4xx statuses plugins answer with on their own. */
const STATUS_CODES: Record<number, string> = {
  401: HTTP_ERROR_CODES.unauthorized,
  403: HTTP_ERROR_CODES.forbidden,
  404: HTTP_ERROR_CODES.notFound,
  429: HTTP_ERROR_CODES.tooManyRequests,
};

export interface HttpErrorContext {
  /** The request body limit (maxRequestBytes), named in REQUEST_TOO_LARGE. */
  readonly maxRequestBytes: number;
}

type Schema = Record<string, unknown>;

/** The schema of the request part a validation error is about (body, querystring, params, headers). */
function partSchema(request: FastifyRequest | undefined, part: string): Schema | undefined {
  const schema = request?.routeOptions.schema as Record<string, unknown> | undefined;
  return schema?.[part] as Schema | undefined;
}

/**
 * Maps fastify's own errors (validation, bad JSON, too large, unsupported media type) onto
 * typed errors, so that every failure answers the one body shape, `TributaryError.toBody()`.
 */
export function toTributaryError(
  error: unknown,
  request: FastifyRequest | undefined,
  context: HttpErrorContext,
): TributaryError {
  if (error instanceof TributaryError) return error;
  const fastifyError = error as Partial<FastifyError> & { validation?: SchemaIssue[] };
  if (Array.isArray(fastifyError.validation)) {
    const part = fastifyError.validationContext ?? 'body';
    return validationError(fastifyError.validation, part, partSchema(request, part));
  }
  const code = typeof fastifyError.code === 'string' ? fastifyError.code : '';
  const status = fastifyError.statusCode ?? 500;
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE' || status === 413) {
    return new RequestError(
      HTTP_ERROR_CODES.tooLarge,
      `the request body is larger than the ${context.maxRequestBytes} bytes allowed ` +
        '(setting maxRequestBytes, TRIBUTARY_MAX_REQUEST_BYTES)',
      { status: 413 },
    );
  }
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || status === 415) {
    const type = request?.headers['content-type'];
    return new RequestError(
      HTTP_ERROR_CODES.unsupportedMediaType,
      `unsupported content type ${type ? JSON.stringify(type) : '(none)'}; send application/json`,
      { status: 415 },
    );
  }
  if (
    code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
    code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ||
    (error instanceof SyntaxError && status < 500)
  ) {
    return new RequestError(
      HTTP_ERROR_CODES.invalidJson,
      `request body is not valid JSON: ${fastifyError.message ?? 'cannot be parsed'}`,
    );
  }
  if (code.startsWith('FST_') && status >= 400 && status < 500) {
    const jsonLike = /JSON/i.test(fastifyError.message ?? '');
    return new RequestError(
      jsonLike ? HTTP_ERROR_CODES.invalidJson : HTTP_ERROR_CODES.badRequest,
      fastifyError.message ?? 'bad request',
      { status },
    );
  }
  if (error instanceof SyntaxError)
    return new RequestError(HTTP_ERROR_CODES.invalidJson, `request body is not valid JSON: ${error.message}`);
  // A plugin's refusal (rate limit, …): its status and message kept, a stable code given.
  if (status >= 400 && status < 500) {
    return new RequestError(
      STATUS_CODES[status] ?? HTTP_ERROR_CODES.badRequest,
      fastifyError.message || 'refused',
      {
        status,
      },
    );
  }
  return asTributaryError(error);
}

/** The answer to a route that does not exist. */
export function notFound(request: FastifyRequest): RequestError {
  return new RequestError(HTTP_ERROR_CODES.notFound, `no route ${request.method} ${request.url}`, {
    status: 404,
  });
}
