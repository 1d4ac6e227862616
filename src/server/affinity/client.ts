/**
 * Affinity API v2 client. Synchronous (Apps Script's I/O is), over the HttpPort interface so that it runs the same
 * under UrlFetchApp and in tests. Pins the API version, follows pagination with the largest page, reads the
 * rate-limit headers, retries 429 (after the reset), 5xx and network failures with bounded backoff, and never
 * retries other 4xx. The key only ever travels in the Authorization header to the configured base URL.
 */
import type { Clock, HttpMethod, HttpPort, HttpRequest, HttpResponse, LogPort } from '../ports';
import { AffinityError, errorForStatus, type RequestPurpose } from './errors';
import { readPage, type PageReuse, type ReadPage } from '../engine/pageDigest';
import {
  AFFINITY_API_VERSION,
  AFFINITY_BASE_URL,
  MAX_BATCH_UPDATES,
  MAX_PAGE_SIZE,
  type AffinityErrorBody,
  type BatchUpdateRequest,
  type DropdownOption,
  type FieldMetadata,
  type FieldValueUpdate,
  type ListEntryWithEntity,
  type ListWithType,
  type Paged,
  type RateLimitUsage,
  type SavedView,
  type WhoAmI,
} from './types';

export const NANGO_BASE_URL = 'https://api.nango.dev';
/** Nango's proxy forwards to the provider only request headers with this prefix (removed on the way). */
export const NANGO_PROXY_PREFIX = 'Nango-Proxy-';
/** In Nango mode, usage is re-read from `GET /v2/rate-limit` after at most this many requests. */
export const NANGO_USAGE_EVERY = 50;
/** A list id no account has (the spec's largest): its 404 carries Affinity's headers even through Nango. */
const VERSION_PROBE_LIST_ID = 9007199254740991;

export type Connection =
  | { mode: 'direct'; apiKey: string }
  | { mode: 'nango'; secretKey: string; providerConfigKey: string; connectionId: string };

/** What Affinity's rate-limit headers said last (undefined where a header was absent). */
export interface RateLimitState {
  userLimit?: number;
  userRemaining?: number;
  userResetSec?: number;
  orgLimit?: number;
  orgRemaining?: number;
  orgResetSec?: number;
  /** Clock time when these were read. */
  observedAt?: number;
}

export interface ClientOptions {
  clock: Clock;
  log?: LogPort;
  /** Retries after a 5xx, a network error or an unreadable body. */
  maxRetries?: number;
  /** Retries after a 429. */
  maxRateLimitRetries?: number;
  /** Longest wait for a rate-limit reset, ms. */
  maxRateLimitWaitMs?: number;
  /** First backoff delay, ms; doubles each retry. */
  backoffMs?: number;
  random?: () => number;
}

export interface RequestSpec {
  method: HttpMethod;
  /** Path under the API root (`/v2/...`, may include a query) or an absolute Affinity URL (a `nextUrl`). */
  path: string;
  body?: unknown;
  purpose: RequestPurpose;
  /** Names the thing in error messages: 'list', 'saved view', 'list entry'... */
  what?: string;
  /** Reads a successful body instead of JSON.parse (throwing, as JSON.parse does, when it cannot). */
  decode?: (body: string) => unknown;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: AffinityError };

export interface EntryUpdate {
  listId: number;
  listEntryId: number;
  updates: { id: string; value: FieldValueUpdate }[];
}

const RATE_HEADERS: Record<keyof Omit<RateLimitState, 'observedAt'>, string> = {
  userLimit: 'x-ratelimit-limit-user',
  userRemaining: 'x-ratelimit-limit-user-remaining',
  userResetSec: 'x-ratelimit-limit-user-reset',
  orgLimit: 'x-ratelimit-limit-org',
  orgRemaining: 'x-ratelimit-limit-org-remaining',
  orgResetSec: 'x-ratelimit-limit-org-reset',
};

function headerValue(headers: Record<string, string>, name: string): string | undefined {
  if (name in headers) return headers[name];
  const lower = name.toLowerCase();
  for (const key of Object.keys(headers)) if (key.toLowerCase() === lower) return headers[key];
  return undefined;
}

/** Affinity's rate-limit headers in a response (only those present and numeric). */
export function rateLimitFromHeaders(headers: Record<string, string>): Omit<RateLimitState, 'observedAt'> {
  const out: Omit<RateLimitState, 'observedAt'> = {};
  for (const [key, header] of Object.entries(RATE_HEADERS) as [keyof typeof RATE_HEADERS, string][]) {
    const raw = headerValue(headers, header);
    if (raw === undefined) continue;
    const n = Number(raw);
    if (Number.isFinite(n)) out[key] = n;
  }
  return out;
}

function parseErrorBody(body: string): { code?: string; message?: string } {
  try {
    const parsed = JSON.parse(body) as AffinityErrorBody & { error?: { code?: unknown; message?: unknown } };
    const first = parsed?.errors?.[0];
    if (first && typeof first.message === 'string') return { code: first.code, message: first.message };
    // Nango's own errors (proxy mode): {"error":{"code","message"}}
    const nango = parsed?.error;
    if (nango && typeof nango.code === 'string')
      return { code: `nango:${nango.code}`, message: typeof nango.message === 'string' ? nango.message : undefined };
  } catch {
    // not JSON: the status alone explains it
  }
  return {};
}

const savedViewSpec = (listId: number, viewId: number): RequestSpec => ({
  method: 'get',
  path: `/v2/lists/${listId}/saved-views/${viewId}`,
  purpose: 'metadata',
  what: 'saved view',
});

const pullPageSpec = (url: string, reuse: PageReuse): RequestSpec => ({
  method: 'get',
  path: url,
  purpose: 'read-entries',
  what: 'saved view',
  decode: (body) => readPage<ListEntryWithEntity>(body, reuse),
});

export class AffinityClient {
  /** Requests sent, retries included (each costs quota). */
  requestsSent = 0;
  /** The API version Affinity last reported serving (`X-Affinity-Api-Version` of a response), if any. */
  servedVersion: string | undefined;
  /** The last usage reading (rate-limit headers, or `GET /v2/rate-limit` in Nango mode). */
  private readonly rate: RateLimitState = {};
  /** Requests sent since that reading. */
  private sentSinceReading = 0;
  private readingUsage = false;
  private readonly opts: Required<Omit<ClientOptions, 'log'>> & { log?: LogPort };

  constructor(
    private readonly http: HttpPort,
    private readonly connection: Connection,
    options: ClientOptions,
  ) {
    this.opts = {
      maxRetries: 3,
      maxRateLimitRetries: 3,
      maxRateLimitWaitMs: 65_000,
      backoffMs: 1000,
      random: Math.random,
      ...options,
    };
  }

  // ---- reads ---------------------------------------------------------------------------------------------

  whoami(): WhoAmI {
    return this.send<WhoAmI>({ method: 'get', path: '/v2/auth/whoami', purpose: 'whoami' });
  }

  /**
   * Refuses a connection that Affinity serves at another API version than the one this client speaks (a key whose
   * default version is older, with the version header lost on the way). Affinity reports the version only in the
   * `X-Affinity-Api-Version` response header, which Nango's proxy drops from successful replies but keeps on errors:
   * when whoami's reply lacked it, one request for a list that cannot exist (a 404) reads it. Unknown after that: the
   * connection is kept and the log says the version could not be confirmed.
   */
  assertApiVersion(): void {
    if (this.servedVersion === undefined) {
      try {
        this.send({ method: 'get', path: `/v2/lists/${VERSION_PROBE_LIST_ID}`, purpose: 'whoami', what: 'list' });
      } catch (e) {
        if (!(e instanceof AffinityError)) throw e;
      }
    }
    const served = this.servedVersion;
    if (served === undefined) {
      this.opts.log?.log('Affinity: the API version served could not be confirmed (no X-Affinity-Api-Version header)');
      return;
    }
    if (served === AFFINITY_API_VERSION) return;
    const how =
      this.connection.mode === 'nango'
        ? `Nango did not pass the version on to Affinity: the connection must send headers prefixed "${NANGO_PROXY_PREFIX}".`
        : 'Affinity ignored the version this add-on asks for.';
    throw new AffinityError(
      'config',
      `Affinity answered with API version ${served}, but this add-on needs ${AFFINITY_API_VERSION}. ${how} Nothing was saved.`,
    );
  }

  /**
   * What Affinity's rate limits allow now. Direct: the last response's rate-limit headers. Through Nango, which drops
   * them from successful replies: the last `GET /v2/rate-limit` reading, less the requests sent since; re-read when
   * requests were sent since and either none was read yet, NANGO_USAGE_EVERY were sent, or the minute window of the
   * reading has reset (so at most one usage request per NANGO_USAGE_EVERY others, plus one per minute).
   */
  get rateLimit(): RateLimitState {
    if (this.connection.mode !== 'nango') return this.rate;
    const now = this.opts.clock.now();
    const r = this.rate;
    const windowReset = r.observedAt !== undefined && now >= r.observedAt + (r.userResetSec ?? 60) * 1000;
    if (
      this.sentSinceReading > 0 &&
      !this.readingUsage &&
      (r.observedAt === undefined || this.sentSinceReading >= NANGO_USAGE_EVERY || windowReset)
    ) {
      this.readUsage();
    }
    const estimate: RateLimitState = { ...this.rate };
    const spent = this.sentSinceReading;
    if (estimate.userRemaining !== undefined) estimate.userRemaining = Math.max(0, estimate.userRemaining - spent);
    if (estimate.orgRemaining !== undefined) estimate.orgRemaining = Math.max(0, estimate.orgRemaining - spent);
    return estimate;
  }

  private readUsage(): void {
    this.readingUsage = true;
    try {
      const [outcome] = this.sendAll<RateLimitUsage>([{ method: 'get', path: '/v2/rate-limit', purpose: 'metadata' }]);
      const usage = outcome.ok ? outcome.value : undefined;
      const minute = usage?.callerPerMinute;
      if (!minute) {
        // No reading (an error, or an older version without the endpoint): wait for as many requests again.
        this.sentSinceReading = 0;
        return;
      }
      const month = usage.orgPerMonth;
      Object.assign(this.rate, {
        userLimit: minute.limit,
        userRemaining: minute.remaining,
        userResetSec: minute.reset,
        orgLimit: month?.limit,
        orgRemaining: month?.remaining,
        orgResetSec: month?.reset,
        observedAt: this.opts.clock.now(),
      });
      this.sentSinceReading = 0;
    } finally {
      this.readingUsage = false;
    }
  }

  lists(): ListWithType[] {
    return this.all<ListWithType>('/v2/lists', 'metadata', 'list');
  }

  list(listId: number): ListWithType {
    return this.send<ListWithType>({ method: 'get', path: `/v2/lists/${listId}`, purpose: 'metadata', what: 'list' });
  }

  listFields(listId: number): FieldMetadata[] {
    return this.all<FieldMetadata>(`/v2/lists/${listId}/fields`, 'metadata', 'list');
  }

  dropdownOptions(listId: number, fieldId: string): DropdownOption[] {
    return this.all<DropdownOption>(
      `/v2/lists/${listId}/fields/${encodeURIComponent(fieldId)}/dropdown-options`,
      'metadata',
      'field',
    );
  }

  savedViews(listId: number): SavedView[] {
    return this.all<SavedView>(`/v2/lists/${listId}/saved-views`, 'metadata', 'list');
  }

  savedView(listId: number, viewId: number): SavedView {
    return this.send<SavedView>(savedViewSpec(listId, viewId));
  }

  /** Several saved views in one fetchAll, each answer on its own (views paged together, sync/parallelPull.ts). */
  savedViewsOf(views: { listId: number; viewId: number }[]): Outcome<SavedView>[] {
    return this.sendAll<SavedView>(views.map((v) => savedViewSpec(v.listId, v.viewId)));
  }

  /** URL of the first page of a saved view's rows. Board and dashboard views are refused here, before any request. */
  savedViewEntriesUrl(listId: number, view: SavedView): string {
    assertSheetView(view);
    return `/v2/lists/${listId}/saved-views/${view.id}/list-entries?limit=${MAX_PAGE_SIZE}`;
  }

  /** One page of list entries; `url` is the first-page path or a previous page's nextUrl. */
  entriesPage(url: string): { entries: ListEntryWithEntity[]; nextUrl: string | null } {
    const page = this.send<Paged<ListEntryWithEntity>>({
      method: 'get',
      path: url,
      purpose: 'read-entries',
      what: 'saved view',
    });
    return { entries: page?.data ?? [], nextUrl: page?.pagination?.nextUrl ?? null };
  }

  /**
   * One page of a pull, with its digest: only its link to the next page is read when it is the page the last pull
   * kept at the same place (engine/pageDigest.ts).
   */
  pullPage(url: string, reuse: PageReuse): ReadPage<ListEntryWithEntity> {
    return this.send<ReadPage<ListEntryWithEntity>>(pullPageSpec(url, reuse));
  }

  /** One page of each of several views at once (one fetchAll): pages of different views are independent. */
  pullPages(pages: { url: string; reuse: PageReuse }[]): Outcome<ReadPage<ListEntryWithEntity>>[] {
    return this.sendAll<ReadPage<ListEntryWithEntity>>(pages.map(({ url, reuse }) => pullPageSpec(url, reuse)));
  }

  /** Every row of a saved view (follows nextUrl until null). */
  savedViewEntries(
    listId: number,
    view: SavedView,
    onPage?: (fetched: number, pages: number) => void,
  ): ListEntryWithEntity[] {
    const rows: ListEntryWithEntity[] = [];
    let url: string | null = this.savedViewEntriesUrl(listId, view);
    let pages = 0;
    while (url) {
      const page = this.entriesPage(url);
      for (const e of page.entries) rows.push(e);
      pages++;
      onPage?.(rows.length, pages);
      url = page.nextUrl;
    }
    return rows;
  }

  /** One list entry with the given fields (cheap re-read before a push). */
  listEntry(listId: number, listEntryId: number, fieldIds: string[]): ListEntryWithEntity {
    const query = fieldIds.map((id) => `fieldIds=${encodeURIComponent(id)}`).join('&');
    return this.send<ListEntryWithEntity>({
      method: 'get',
      path: `/v2/lists/${listId}/list-entries/${listEntryId}${query ? `?${query}` : ''}`,
      purpose: 'read-entries',
      what: 'list entry',
    });
  }

  // ---- writes --------------------------------------------------------------------------------------------

  /**
   * Sends one `update-fields` PATCH per entry (split above 100 updates), in parallel, and reports each
   * request's outcome in order. One entry's failure does not stop the others.
   */
  updateEntries(batch: EntryUpdate[]): Outcome<EntryUpdate>[] {
    const specs: RequestSpec[] = [];
    const owners: EntryUpdate[] = [];
    for (const entry of batch) {
      for (let i = 0; i < entry.updates.length; i += MAX_BATCH_UPDATES) {
        const chunk: EntryUpdate = { ...entry, updates: entry.updates.slice(i, i + MAX_BATCH_UPDATES) };
        const body: BatchUpdateRequest = { operation: 'update-fields', updates: chunk.updates };
        specs.push({
          method: 'patch',
          path: `/v2/lists/${entry.listId}/list-entries/${entry.listEntryId}/fields`,
          body,
          purpose: 'write',
          what: 'list entry',
        });
        owners.push(chunk);
      }
    }
    return this.sendAll<unknown>(specs).map((outcome, i) =>
      outcome.ok ? { ok: true as const, value: owners[i] } : outcome,
    );
  }

  // ---- transport -----------------------------------------------------------------------------------------

  /** Sends one request and returns its parsed body, or throws an AffinityError. */
  send<T>(spec: RequestSpec): T {
    const [outcome] = this.sendAll<T>([spec]);
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }

  /** Sends requests in parallel (one fetchAll per round); retries the ones that may pass later. */
  sendAll<T>(specs: RequestSpec[]): Outcome<T>[] {
    const results: (Outcome<T> | undefined)[] = new Array(specs.length);
    const requests = specs.map((s) => this.toHttpRequest(s));
    const failures = new Array<number>(specs.length).fill(0);
    const rateLimited = new Array<number>(specs.length).fill(0);
    let pending = specs.map((_, i) => i);

    while (pending.length > 0) {
      const responses = this.http.fetchAll(pending.map((i) => requests[i]));
      this.requestsSent += pending.length;
      this.sentSinceReading += pending.length;
      const retry: number[] = [];
      let waitMs = 0;
      pending.forEach((index, k) => {
        const response = responses[k];
        this.readRateLimit(response);
        const version = headerValue(response.headers ?? {}, 'x-affinity-api-version');
        if (version) this.servedVersion = version;
        const spec = specs[index];
        const parsed = this.parse(response, spec.decode);
        if (parsed.kind === 'ok') {
          results[index] = { ok: true, value: parsed.value as T };
          return;
        }
        if (parsed.kind === 'rate-limited' && rateLimited[index] < this.opts.maxRateLimitRetries) {
          rateLimited[index]++;
          waitMs = Math.max(waitMs, this.rateLimitWait(response));
          retry.push(index);
          return;
        }
        if (parsed.kind === 'transient' && failures[index] < this.opts.maxRetries) {
          waitMs = Math.max(waitMs, this.opts.backoffMs * 2 ** failures[index] * (1 + this.opts.random() * 0.25));
          failures[index]++;
          retry.push(index);
          return;
        }
        results[index] = { ok: false, error: this.toError(response, parsed, spec) };
      });
      if (retry.length > 0) {
        this.opts.log?.log(`Affinity: retrying ${retry.length} request(s) in ${Math.round(waitMs)} ms`);
        this.opts.clock.sleep(Math.round(waitMs));
      }
      pending = retry;
    }
    return results as Outcome<T>[];
  }

  private toHttpRequest(spec: RequestSpec): HttpRequest {
    // Through Nango only `Nango-Proxy-` headers reach Affinity (the others are for Nango itself).
    const upstream = this.connection.mode === 'nango' ? NANGO_PROXY_PREFIX : '';
    const headers: Record<string, string> = {
      [`${upstream}X-Affinity-Api-Version`]: AFFINITY_API_VERSION,
      Accept: 'application/json',
    };
    let url = this.resolveUrl(spec.path);
    if (this.connection.mode === 'direct') {
      headers.Authorization = `Bearer ${this.connection.apiKey}`;
    } else {
      headers.Authorization = `Bearer ${this.connection.secretKey}`;
      headers['Provider-Config-Key'] = this.connection.providerConfigKey;
      headers['Connection-Id'] = this.connection.connectionId;
      url = `${NANGO_BASE_URL}/proxy${url.slice(AFFINITY_BASE_URL.length)}`;
    }
    const request: HttpRequest = { url, method: spec.method, headers };
    if (spec.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      if (upstream) headers[`${upstream}Content-Type`] = 'application/json';
      request.payload = JSON.stringify(spec.body);
    }
    return request;
  }

  /** Absolute Affinity URL for a path or a nextUrl. A nextUrl pointing anywhere else is refused: the key goes nowhere else. */
  private resolveUrl(path: string): string {
    if (path.startsWith('/')) return AFFINITY_BASE_URL + path;
    if (path.startsWith(`${AFFINITY_BASE_URL}/`)) return path;
    throw new AffinityError(
      'bad-response',
      'Affinity sent a page link to another address; the pull was stopped to keep your key safe.',
    );
  }

  private parse(
    response: HttpResponse,
    decode: (body: string) => unknown = JSON.parse,
  ):
    | { kind: 'ok'; value: unknown }
    | { kind: 'rate-limited' }
    | { kind: 'transient'; reason: string }
    | { kind: 'final' } {
    const { status } = response;
    if (status === 0) return { kind: 'transient', reason: response.error ?? 'no answer' };
    if (status === 429) return { kind: 'rate-limited' };
    if (status >= 500) return { kind: 'transient', reason: `status ${status}` };
    if (status >= 200 && status < 300) {
      if (status === 204 || response.body === '') return { kind: 'ok', value: undefined };
      try {
        return { kind: 'ok', value: decode(response.body) };
      } catch {
        return { kind: 'transient', reason: 'unreadable body' };
      }
    }
    return { kind: 'final' };
  }

  private toError(
    response: HttpResponse,
    parsed: ReturnType<AffinityClient['parse']>,
    spec: RequestSpec,
  ): AffinityError {
    const attempts = this.opts.maxRetries + 1;
    if (parsed.kind === 'transient' && response.status === 0) {
      return new AffinityError(
        'network',
        `Could not reach Affinity after ${attempts} attempts (${response.error ?? 'no answer'}). Check your connection and try again.`,
      );
    }
    if (parsed.kind === 'transient' && response.status >= 200 && response.status < 300) {
      return new AffinityError(
        'bad-response',
        `Affinity sent a response that could not be read, ${attempts} times in a row. Try again in a few minutes.`,
        {
          status: response.status,
        },
      );
    }
    const detail = parseErrorBody(response.body);
    return errorForStatus(response.status, spec.purpose, {
      ...detail,
      what: spec.what,
      retryAfterSec: this.rate.userResetSec,
    });
  }

  private readRateLimit(response: HttpResponse): void {
    const seen = rateLimitFromHeaders(response.headers);
    if (Object.keys(seen).length === 0) return;
    Object.assign(this.rate, seen);
    this.rate.observedAt = this.opts.clock.now();
    this.sentSinceReading = 0;
  }

  /** How long to wait after a 429: until the window resets (bounded), with jitter so parallel runs spread out. */
  private rateLimitWait(response: HttpResponse): number {
    const retryAfter = Number(headerValue(response.headers, 'retry-after'));
    const reset = Number(headerValue(response.headers, RATE_HEADERS.userResetSec));
    const seconds =
      Number.isFinite(reset) && reset > 0 ? reset : Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : 5;
    const jitter = 250 + this.opts.random() * 750;
    return Math.min(seconds * 1000 + jitter, this.opts.maxRateLimitWaitMs);
  }

  private all<T>(path: string, purpose: RequestPurpose, what: string): T[] {
    const out: T[] = [];
    let url: string | null = `${path}${path.includes('?') ? '&' : '?'}limit=${MAX_PAGE_SIZE}`;
    while (url) {
      const page: Paged<T> = this.send<Paged<T>>({ method: 'get', path: url, purpose, what });
      for (const item of page?.data ?? []) out.push(item);
      url = page?.pagination?.nextUrl ?? null;
    }
    return out;
  }
}

/** Only sheet-type views can be read through the API; say so before spending a request. */
export function assertSheetView(view: Pick<SavedView, 'name' | 'type'>): void {
  if (view.type !== 'sheet') {
    throw new AffinityError(
      'unsupported-view',
      `“${view.name}” is a ${view.type} view; only sheet-type views can be synced. Pick a sheet view of this list.`,
    );
  }
}
