/** Affinity's error codes and bodies (components.schemas.Errors of the v2 spec). */
import type { AffinityErrorBody } from '../../src/server/affinity/types';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Only `validation` errors carry a param (and must). */
    readonly param?: string,
  ) {
    super(message);
  }

  body(): AffinityErrorBody {
    const error: AffinityErrorBody['errors'][number] = { code: this.code, message: this.message };
    if (this.code === 'validation') error.param = this.param ?? 'body';
    return { errors: [error] };
  }
}

export const validation = (param: string, message: string) => new ApiError(400, 'validation', message, param);
export const badRequest = (message: string) => new ApiError(400, 'bad-request', message);
export const notFound = (message: string) => new ApiError(404, 'not-found', message);
export const forbidden = (message: string) => new ApiError(403, 'authorization', message);

/** The code Affinity uses for a status (5xx other than 501 are `server`: the 2024-01-01 spec has no other). */
export function codeForStatus(status: number): string {
  const codes: Record<number, string> = {
    400: 'bad-request',
    401: 'authentication',
    403: 'authorization',
    404: 'not-found',
    405: 'method-not-allowed',
    406: 'not-acceptable',
    409: 'conflict',
    415: 'unsupported-media-type',
    422: 'unprocessable-entity',
    429: 'rate-limit',
    501: 'not-implemented',
  };
  return codes[status] ?? (status >= 500 ? 'server' : 'bad-request');
}

const DEFAULT_MESSAGES: Record<string, string> = {
  'bad-request': 'Bad request',
  authentication: 'Authentication failed',
  authorization: 'You are not authorized to perform this action',
  'not-found': 'Not found',
  'method-not-allowed': 'Method not allowed',
  'not-acceptable': 'Not acceptable',
  conflict: 'Conflict',
  'unsupported-media-type': 'Unsupported media type',
  'unprocessable-entity': 'Unprocessable entity',
  'rate-limit': 'Rate limit exceeded',
  'not-implemented': 'Not implemented',
  server: 'Internal server error',
};

/** The error Affinity would answer with for a bare status (used by status faults). */
export function errorForStatus(status: number): ApiError {
  const code = codeForStatus(status);
  const message = status === 503 ? 'Service unavailable' : status === 502 ? 'Bad gateway' : DEFAULT_MESSAGES[code];
  return new ApiError(status, code, message);
}
