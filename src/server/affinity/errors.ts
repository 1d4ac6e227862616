/**
 * Typed errors with messages a user can act on. Messages never contain the API key or request headers.
 */

export type AffinityErrorKind =
  | 'auth' // 401: the key was rejected
  | 'plan' // 403 on whoami: the account has no API access
  | 'permission' // 403: missing 'Export data from Lists' or no access to this entry/list
  | 'not-found' // 404
  | 'merged' // 422: the entity was merged
  | 'invalid' // 400/422: Affinity refused the request's content
  | 'rate-limit' // 429 after waiting
  | 'server' // 5xx after retries
  | 'network' // no answer after retries
  | 'bad-response' // an answer that is not the JSON Affinity sends
  | 'unsupported-view' // board/dashboard views: refused before any request
  | 'config'; // nothing to connect with (no key set)

/** What the request was for, so that a 403 or 404 can be explained in the user's words. */
export type RequestPurpose =
  | 'whoami'
  | 'metadata' // lists, fields, views, dropdown options
  | 'read-entries' // rows of a list or view
  | 'write'; // field updates

export class AffinityError extends Error {
  readonly kind: AffinityErrorKind;
  readonly status: number;
  readonly code: string | undefined;
  /** Seconds until Affinity's rate-limit window resets, for 'rate-limit'. */
  readonly retryAfterSec: number | undefined;
  /** True when trying again later may succeed on its own (rate limit, server trouble, network). */
  readonly transient: boolean;

  constructor(
    kind: AffinityErrorKind,
    message: string,
    opts: { status?: number; code?: string; retryAfterSec?: number } = {},
  ) {
    super(message);
    this.name = 'AffinityError';
    this.kind = kind;
    this.status = opts.status ?? 0;
    this.code = opts.code;
    this.retryAfterSec = opts.retryAfterSec;
    this.transient = kind === 'rate-limit' || kind === 'server' || kind === 'network' || kind === 'bad-response';
  }
}

function quoteAffinity(detail: string | undefined): string {
  if (!detail) return '';
  const trimmed = detail.length > 300 ? `${detail.slice(0, 300)}…` : detail;
  return ` Affinity said: “${trimmed}”`;
}

/** Turns a final (non-retried) HTTP failure into an AffinityError with a plain-words message. */
export function errorForStatus(
  status: number,
  purpose: RequestPurpose,
  detail: { code?: string; message?: string; retryAfterSec?: number; what?: string },
): AffinityError {
  const { code, message, retryAfterSec } = detail;
  const what = detail.what ?? 'item';
  if (code?.startsWith('nango:')) return nangoError(status, code);
  if (status === 401) {
    return new AffinityError('auth', 'Affinity rejected the API key (401). Open Settings and enter a valid key.', {
      status,
      code,
    });
  }
  if (status === 403) {
    const text = (message ?? '').toLowerCase();
    if (purpose === 'whoami' || text.includes('plan') || text.includes('api access')) {
      return new AffinityError(
        'plan',
        'This Affinity account has no API access (403). API keys work only on plans that include the API (not trial or Essentials); ask your Affinity admin.',
        { status, code },
      );
    }
    if (purpose === 'read-entries' || text.includes('export')) {
      return new AffinityError(
        'permission',
        "Your Affinity user lacks the 'Export data from Lists' permission (403). Ask an Affinity admin to grant it, then pull again.",
        { status, code },
      );
    }
    if (purpose === 'write') {
      return new AffinityError(
        'permission',
        `Affinity did not let you change this ${what} (403): you lack edit rights on it, or it is a restricted opportunity.`,
        { status, code },
      );
    }
    return new AffinityError(
      'permission',
      `Affinity refused access to this ${what} (403): it is not shared with your user.`,
      {
        status,
        code,
      },
    );
  }
  if (status === 404) {
    return new AffinityError(
      'not-found',
      `Affinity could not find this ${what} (404): it may have been deleted, or it is not shared with your user.`,
      { status, code },
    );
  }
  if (status === 422 && /merge/i.test(message ?? '')) {
    return new AffinityError(
      'merged',
      `Affinity refused the change because the entity was merged into another one (422).${quoteAffinity(message)}`,
      {
        status,
        code,
      },
    );
  }
  if (status === 429) {
    const wait =
      retryAfterSec !== undefined ? ` Try again in about ${Math.max(1, Math.ceil(retryAfterSec))} seconds.` : '';
    return new AffinityError('rate-limit', `Affinity's rate limit is used up (429).${wait}`, {
      status,
      code,
      retryAfterSec,
    });
  }
  if (status >= 500) {
    return new AffinityError(
      'server',
      `Affinity is having trouble (${status}) and kept failing after retries. Try again in a few minutes.`,
      {
        status,
        code,
      },
    );
  }
  return new AffinityError('invalid', `Affinity refused the request (${status}).${quoteAffinity(message)}`, {
    status,
    code,
  });
}

/** Nango's own refusals in proxy mode (`{"error":{"code"}}`; Affinity's errors come through Nango unchanged). */
function nangoError(status: number, code: string): AffinityError {
  const reason = code.slice('nango:'.length);
  const text =
    reason === 'unknown_account' || reason === 'invalid_secret_key'
      ? 'Nango rejected the secret key'
      : reason === 'unknown_connection' || reason === 'missing_headers' || reason === 'unknown_provider_config'
        ? 'Nango has no such connection: check the integration ID and the connection ID'
        : `Nango refused the request (${reason})`;
  return new AffinityError('auth', `${text} (${status}). Open Affinity › Settings… and check the Nango connection.`, {
    status,
    code,
  });
}

/** A message safe to show: AffinityErrors are written for users; anything else is reported plainly. */
export function userMessage(e: unknown): string {
  if (e instanceof AffinityError) return e.message;
  return `Something went wrong: ${e instanceof Error ? e.message : String(e)}`;
}
