/**
 * A local emulator of Affinity's REST API v2 (version 2026-09-17), faithful to the spec digest in
 * ../shared/affinity and to the behaviour in ../shared/research/affinity-api-v2.md. One synchronous, stateful
 * `handle(request) → response`; server.ts puts it behind real HTTP. See docs/emulator.md.
 */
import { divergentResponse } from './divergent';
import type {
  CompanyData,
  DropdownOption,
  Field,
  FieldMetadata,
  FieldValue,
  FieldValueUpdate,
  ListData,
  ListEntryWithEntity,
  ListWithType,
  PersonData,
  RateLimitWindow,
  SavedView,
  User,
} from '../../src/server/affinity/types';
import { matchOperation, subset, validateRequest } from '../contract/validate';
import {
  V1Error,
  V1_OPPORTUNITY_ENTITY_TYPE,
  parseCreateOpportunity,
  v1Key,
  type V1ListEntry,
  type V1Opportunity,
} from './v1';
import { ApiError, badRequest, errorForStatus, forbidden, notFound, validation } from './errors';
import { paginate } from './pagination';
import type { EmulatorSeed, SeedUser, SeedView } from './seed';
import { diffChanges, nullValue, parseInstant, presentField, resolveUpdate, type Directory } from './values';

export const SUPPORTED_API_VERSIONS = ['2024-01-01', '2026-07-15', '2026-09-17', 'current'] as const;
export const CURRENT_API_VERSION = '2026-09-17';
export const DEFAULT_BASE_URL = 'https://api.affinity.co';
const MINUTE_MS = 60_000;
const LOG_LIMIT = 50_000;

export interface EmulatorRequest {
  method: string;
  /** Path and query (`/v2/lists?limit=5`), or an absolute URL (only its path and query are used). */
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface EmulatorResponse {
  status: number;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: string;
  /** For the HTTP wrapper: wait this long before answering (latency fault). */
  delayMs?: number;
  /** For the HTTP wrapper: destroy the socket instead of answering (status is 0). */
  networkError?: boolean;
}

export interface Fault {
  /** Answer with this status and Affinity's error body for it. */
  status?: number;
  /** How many matching requests it applies to; default 1; negative or Infinity = until cleared. */
  count?: number;
  /** Delay the answer (applied by the HTTP server). */
  latencyMs?: number;
  /** Spoil the body: cut in half, an HTML gateway page, or nothing. */
  body?: 'truncated' | 'non-json' | 'empty';
  /** The server destroys the socket without answering. */
  networkError?: boolean;
  match?: { method?: string; pathIncludes?: string };
}

export interface LoggedRequest {
  seq: number;
  method: string;
  /** As received, `/proxy` prefix included. */
  path: string;
  query: Record<string, string | string[]>;
  /** As received, names lower-cased. */
  headers: Record<string, string>;
  body: string | undefined;
  status: number;
  /** Emulator clock time (ms). */
  at: number;
  via: 'direct' | 'nango';
  /** Affinity user the request was served as, when authenticated. */
  userId?: number;
}

export interface EmulatorOptions {
  baseUrl?: string;
  clock?: () => number;
  /**
   * How rows carry their fields. 'complete' (default): every selected field, in the view's (or list's) order, empty
   * ones with `data: null`. 'sparse': a field with no value is left out and each row orders its fields differently
   * (rotated by the entry id), so that a client which guesses a view's columns from rows, or reads cells by position,
   * goes wrong as it would if Affinity did so (not documented either way: see docs, Assumptions).
   */
  rows?: 'complete' | 'sparse';
  /**
   * Every assumption about Affinity turned the other way (divergent.ts): only to test that `npm run verify-live`
   * reports each difference. Implies sparse rows.
   */
  divergent?: boolean;
}

/** Who edits fields "in Affinity" when a test does not say. Not one of the seed's API users. */
export const OTHER_USER: User = {
  id: 990001,
  firstName: 'Grace',
  lastName: 'Hopper',
  emailAddress: 'grace.hopper@example.com',
};

/** One `fieldValueChanges.FieldValueChange` as served. */
export type FieldValueChangeRecord = {
  id: number;
  type: string;
  actionType: 'add' | 'update' | 'delete';
  changedAt: string;
  changer: User | null;
  entity: { id: number };
  field: { id: string; name: string; type: 'global' | 'list'; entityType: 'company' | 'opportunity' | 'person' };
  listEntry: { id: number; listId: number } | null;
  value: unknown;
};

interface ListState {
  list: ListWithType;
  fields: FieldMetadata[];
  fieldById: Map<string, FieldMetadata>;
  /** Entry ids in list order. */
  order: number[];
  entries: Map<number, ListEntryWithEntity>;
  views: SeedView[];
}

interface Ctx {
  user: SeedUser;
  /** The API version served. */
  version: string;
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: string | undefined;
  now: number;
}

interface Reply {
  status: number;
  body?: unknown;
}

type Route = { method: string; pattern: RegExp; run: (ctx: Ctx, params: string[]) => Reply };

const FIELD_TYPES = ['enriched', 'global', 'list', 'relationship-intelligence'];
const DROPDOWN_TYPES = new Set(['dropdown', 'dropdown-multi', 'ranked-dropdown']);
const GATEWAY_HTML =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n';

function lowerKeys(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers))
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
  return out;
}

function queryRecord(q: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(q.keys())) {
    const all = q.getAll(key);
    out[key] = all.length === 1 ? all[0] : all;
  }
  return out;
}

function int(raw: string, param: string): number {
  if (!/^\d+$/.test(raw)) throw validation(param, `${param} must be an integer, got '${raw}'`);
  return Number(raw);
}

function parseJson(body: string | undefined): unknown {
  if (body === undefined || body === '') return undefined;
  try {
    return JSON.parse(body);
  } catch {
    throw badRequest('The request body is not valid JSON');
  }
}

const entity_id = (entry: ListEntryWithEntity) => (entry.entity as { id: number }).id;
const entityOf = (entry: ListEntryWithEntity) =>
  entry.entity as { id: number; fields?: Field[]; isRestricted?: boolean };
const isRestricted = (entry: ListEntryWithEntity) => entry.type === 'opportunity' && entry.entity.isRestricted === true;
const viewSummary = ({ id, name, type, createdAt }: SeedView): SavedView => ({ id, name, type, createdAt });
const startOfNextMonth = (now: number) => {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
};

/**
 * The headers Nango's proxy passes back with a provider's successful reply: an allowlist (content-type, x-request-id,
 * x-correlation-id, mcp-session-id) and nothing at all on a 204 (NangoHQ/nango, server/lib/controllers/proxy/
 * allProxy.ts, `PROXY_RESPONSE_HEADER_ALLOWLIST`). Error replies keep every upstream header.
 */
export const NANGO_SUCCESS_HEADERS = ['content-type', 'mcp-session-id', 'x-request-id', 'x-correlation-id'];
function nangoSuccessHeaders(res: EmulatorResponse): Record<string, string> {
  if (res.status === 204) return {};
  return Object.fromEntries(
    Object.entries(res.headers).filter(([k, v]) => NANGO_SUCCESS_HEADERS.includes(k) && v !== ''),
  );
}

export class AffinityEmulator {
  readonly baseUrl: string;
  /** Every request handled (bounded to the last 50,000). */
  requests: LoggedRequest[] = [];
  private readonly clock: () => number;
  private readonly rowShape: 'complete' | 'sparse';
  private readonly divergent: boolean;
  private seq = 0;
  private faults: (Fault & { left: number })[] = [];

  private seedData!: EmulatorSeed;
  private users = new Map<string, SeedUser>();
  private lists = new Map<number, ListState>();
  private options = new Map<string, Map<number, DropdownOption>>();
  private persons = new Map<number, PersonData>();
  private companies = new Map<number, CompanyData>();
  private merged = new Map<string, number>();
  private changes: FieldValueChangeRecord[] = [];
  /** People and organizations of opportunities created through API v1. */
  private oppAssociations = new Map<number, { personIds: number[]; organizationIds: number[] }>();
  private changeSeq = 0;
  private minuteWindows = new Map<number, { start: number; count: number }>();
  private monthWindows = new Map<number, { start: number; count: number }>();
  private readonly routes: Route[];

  constructor(seed: EmulatorSeed, opts: EmulatorOptions = {}) {
    this.baseUrl = (opts.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
    this.clock = opts.clock ?? Date.now;
    this.divergent = opts.divergent === true;
    this.rowShape = this.divergent ? 'sparse' : (opts.rows ?? 'complete');
    this.routes = this.buildRoutes();
    this.loadSeed(seed);
  }

  // ---- seed and state helpers (test-facing) -----------------------------------------------------------------

  /** Replaces all data (the request log and faults are kept; rate-limit windows and change history restart). */
  loadSeed(seed: EmulatorSeed): void {
    this.seedData = seed;
    this.users = new Map(seed.users.map((u) => [u.apiKey, u]));
    this.lists = new Map();
    for (const list of seed.lists) {
      const fields = seed.fields[list.id] ?? [];
      const entries = seed.entries[list.id] ?? [];
      this.lists.set(list.id, {
        list,
        fields,
        fieldById: new Map(fields.map((f) => [f.id, f])),
        order: entries.map((e) => e.id),
        entries: new Map(entries.map((e) => [e.id, e])),
        views: (seed.savedViews[list.id] ?? []).map((v) => ({
          ...v,
          entryIds: [...v.entryIds],
          fieldIds: [...v.fieldIds],
        })),
      });
    }
    this.options = new Map(
      Object.entries(seed.dropdownOptions).map(([fid, opts]) => [fid, new Map(opts.map((o) => [o.id, o]))]),
    );
    this.persons = new Map((seed.persons ?? []).map((p) => [p.id, p]));
    this.companies = new Map((seed.companies ?? []).map((c) => [c.id, c]));
    this.merged = new Map((seed.mergedEntities ?? []).map((m) => [`${m.type}:${m.id}`, m.mergedInto]));
    this.changes = [];
    this.changeSeq = 0;
    this.minuteWindows.clear();
    this.monthWindows.clear();
  }

  /** The seed the emulator was loaded with (not reflecting later changes). */
  get seed(): EmulatorSeed {
    return this.seedData;
  }

  /** The stored entry with every field (restricted values included), or undefined. A copy. */
  getEntry(listId: number, entryId: number): ListEntryWithEntity | undefined {
    const entry = this.lists.get(listId)?.entries.get(entryId);
    return entry && structuredClone(entry);
  }

  /** The stored value of one cell (`data: null` when the entry has none); undefined for an unknown entry or field. */
  getFieldValue(listId: number, entryId: number, fieldId: string): FieldValue | undefined {
    const state = this.lists.get(listId);
    const entry = state?.entries.get(entryId);
    const meta = state?.fieldById.get(fieldId);
    if (!entry || !meta) return undefined;
    return structuredClone(this.storedField(entry, meta).value);
  }

  /**
   * Edits a cell as someone in Affinity's app would (another user by default): validated like an API write,
   * recorded as a field value change, visible to later reads. Throws ApiError when Affinity would refuse it.
   */
  editField(
    listId: number,
    entryId: number,
    fieldId: string,
    value: FieldValueUpdate,
    opts: { changer?: User | null; at?: number } = {},
  ): void {
    const { state, entry } = this.requireEntry(listId, entryId);
    const meta = state.fieldById.get(fieldId);
    if (!meta) throw notFound(`Field ${fieldId} not found on list ${listId}`);
    const next = resolveUpdate(meta, value, this.directory, 'value');
    this.applyWrite(
      state,
      entry,
      meta,
      next,
      opts.changer === undefined ? OTHER_USER : opts.changer,
      opts.at ?? this.clock(),
    );
  }

  /** Sets a stored cell verbatim (any value type, no validation, no change record): for read-only values in tests. */
  setFieldValue(listId: number, entryId: number, fieldId: string, value: FieldValue): void {
    const { state, entry } = this.requireEntry(listId, entryId);
    const meta = state.fieldById.get(fieldId);
    if (!meta) throw notFound(`Field ${fieldId} not found on list ${listId}`);
    this.storeValue(state, entry, meta, value);
  }

  /** Renames a field, as an admin does in Affinity's app: its metadata and every row serve the new name. */
  renameField(listId: number, fieldId: string, name: string): FieldMetadata {
    const state = this.requireList(listId);
    const meta = state.fieldById.get(fieldId);
    if (!meta) throw notFound(`Field ${fieldId} not found on list ${listId}`);
    const renamed = { ...meta, name }; // seed objects are never mutated
    state.fieldById.set(fieldId, renamed);
    state.fields = state.fields.map((f) => (f.id === fieldId ? renamed : f));
    return structuredClone(renamed);
  }

  getView(listId: number, viewId: number): SeedView | undefined {
    const view = this.lists.get(listId)?.views.find((v) => v.id === viewId);
    return view && structuredClone(view);
  }

  /** Replaces a view's rows and/or columns (what someone changing the view's filters or columns in Affinity does). */
  setView(listId: number, viewId: number, change: { entryIds?: number[]; fieldIds?: string[] }): SeedView {
    const view = this.requireView(listId, viewId);
    if (change.entryIds) view.entryIds = [...change.entryIds];
    if (change.fieldIds) view.fieldIds = [...change.fieldIds];
    return structuredClone(view);
  }

  addToView(listId: number, viewId: number, add: { entryIds?: number[]; fieldIds?: string[] }): SeedView {
    const view = this.requireView(listId, viewId);
    return this.setView(listId, viewId, {
      entryIds: [...new Set([...view.entryIds, ...(add.entryIds ?? [])])],
      fieldIds: [...new Set([...view.fieldIds, ...(add.fieldIds ?? [])])],
    });
  }

  removeFromView(listId: number, viewId: number, remove: { entryIds?: number[]; fieldIds?: string[] }): SeedView {
    const view = this.requireView(listId, viewId);
    const entryIds = new Set(remove.entryIds ?? []);
    const fieldIds = new Set(remove.fieldIds ?? []);
    return this.setView(listId, viewId, {
      entryIds: view.entryIds.filter((id) => !entryIds.has(id)),
      fieldIds: view.fieldIds.filter((id) => !fieldIds.has(id)),
    });
  }

  /** Adds an entry at the end of the list (and of the given sheet views). */
  addEntry(listId: number, entry: ListEntryWithEntity, opts: { viewIds?: number[] } = {}): void {
    const state = this.lists.get(listId);
    if (!state) throw notFound(`List ${listId} not found`);
    if (state.entries.has(entry.id)) throw new ApiError(409, 'conflict', `List entry ${entry.id} already exists`);
    state.entries.set(entry.id, entry);
    state.order.push(entry.id);
    for (const viewId of opts.viewIds ?? []) this.requireView(listId, viewId).entryIds.push(entry.id);
  }

  /** Deletes an entry from its list and every view. Its change history stays. */
  deleteEntry(listId: number, entryId: number): void {
    const { state } = this.requireEntry(listId, entryId);
    state.entries.delete(entryId);
    state.order.splice(state.order.indexOf(entryId), 1);
    for (const view of state.views) view.entryIds = view.entryIds.filter((id) => id !== entryId);
  }

  /** Field value changes recorded so far (API writes and editField), oldest first. */
  fieldValueChanges(): FieldValueChangeRecord[] {
    return structuredClone(this.changes);
  }

  injectFault(fault: Fault): void {
    const count = fault.count ?? 1;
    this.faults.push({ ...fault, left: count < 0 ? Infinity : count });
  }

  clearFaults(): void {
    this.faults = [];
  }

  clearRequests(): void {
    this.requests = [];
  }

  // ---- request handling -------------------------------------------------------------------------------------

  handle(req: EmulatorRequest): EmulatorResponse {
    const headers = lowerKeys(req.headers);
    const nowHeader = Number(headers['x-emulator-now']);
    const now = headers['x-emulator-now'] !== undefined && Number.isFinite(nowHeader) ? nowHeader : this.clock();
    const url = new URL(req.url, 'http://emulator.invalid');
    const method = req.method.toUpperCase();
    const via = url.pathname === '/proxy' || url.pathname.startsWith('/proxy/') ? 'nango' : 'direct';
    const entry: LoggedRequest = {
      seq: ++this.seq,
      method,
      path: url.pathname,
      query: queryRecord(url.searchParams),
      headers,
      body: req.body,
      status: 0,
      at: now,
      via,
    };
    let res: EmulatorResponse;
    try {
      res = this.process(method, url, headers, req.body, now, entry);
    } catch (err) {
      // Anything unexpected is the emulator's own bug: answer as Affinity's 500 would, and say what broke.
      if (!(err instanceof ApiError)) console.error('affinity emulator:', err);
      const e =
        err instanceof ApiError ? err : new ApiError(500, 'server', `Emulator error: ${(err as Error).message}`);
      res = this.errorResponse(e, now);
    }
    if (this.divergent) res = divergentResponse(url.pathname, via, res);
    else if (via === 'nango' && res.status >= 200 && res.status < 300) res.headers = nangoSuccessHeaders(res);
    entry.status = res.status;
    this.requests.push(entry);
    if (this.requests.length > LOG_LIMIT) this.requests.splice(0, this.requests.length - LOG_LIMIT);
    return res;
  }

  private process(
    method: string,
    url: URL,
    headers: Record<string, string>,
    body: string | undefined,
    now: number,
    log: LoggedRequest,
  ): EmulatorResponse {
    const fault = this.takeFault(method, url.pathname + url.search);
    if (fault?.networkError) return { status: 0, headers: {}, body: '', networkError: true, delayMs: fault.latencyMs };

    let path = url.pathname;
    let upstream = headers;
    if (log.via === 'nango') {
      const nango = this.nangoUpstream(headers);
      if ('error' in nango)
        return this.spoil(
          {
            status: 401,
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ error: nango.error }),
          },
          fault,
        );
      upstream = nango.headers;
      path = path.slice('/proxy'.length);
    }

    if (!path.startsWith('/v2/'))
      return this.spoil(this.handleV1(method, path, upstream, body, now, log, fault), fault);

    const user = this.authenticate(upstream);
    const version = this.versionOf(upstream, user);
    if (fault?.status) {
      const res = this.errorResponse(
        errorForStatus(fault.status),
        now,
        user && !(user instanceof ApiError) ? user : undefined,
        version,
      );
      if (fault.status === 429 && res.headers['x-ratelimit-limit-user-remaining'])
        res.headers['x-ratelimit-limit-user-remaining'] = '0';
      return this.spoil(res, fault);
    }
    if (user instanceof ApiError) return this.spoil(this.errorResponse(user, now, undefined, version), fault);
    log.userId = user.whoami.user.id;
    if (user.apiAccess === false) {
      return this.spoil(
        this.errorResponse(forbidden('Your Affinity plan does not include API access'), now, undefined, version),
        fault,
      );
    }
    const exemptFromMonthly = path === '/v2/auth/whoami' || path === '/v2/rate-limit';
    if (!this.consume(user, now, !exemptFromMonthly)) {
      return this.spoil(
        this.errorResponse(new ApiError(429, 'rate-limit', 'Rate limit exceeded'), now, user, version),
        fault,
      );
    }

    let reply: Reply;
    try {
      const requested = upstream['x-affinity-api-version'];
      if (requested !== undefined && !(SUPPORTED_API_VERSIONS as readonly string[]).includes(requested)) {
        throw validation('X-Affinity-Api-Version', `The provided version: '${requested}' is not valid.`);
      }
      reply = this.route({ user, version, method, path, query: url.searchParams, headers: upstream, body, now });
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      return this.spoil(this.errorResponse(err, now, user, version), fault);
    }
    const res: EmulatorResponse = { status: reply.status, headers: this.baseHeaders(now, user, version), body: '' };
    if (reply.body !== undefined) {
      res.headers['content-type'] = 'application/json';
      res.body = JSON.stringify(reply.body);
    }
    return this.spoil(res, fault);
  }

  private takeFault(method: string, pathAndQuery: string): Fault | undefined {
    const i = this.faults.findIndex(
      (f) =>
        (!f.match?.method || f.match.method.toUpperCase() === method) &&
        (!f.match?.pathIncludes || pathAndQuery.includes(f.match.pathIncludes)),
    );
    if (i < 0) return undefined;
    const fault = this.faults[i];
    if (--fault.left <= 0) this.faults.splice(i, 1);
    return fault;
  }

  /** Applies a fault's latency and body spoiling to a response. */
  private spoil(res: EmulatorResponse, fault: Fault | undefined): EmulatorResponse {
    if (!fault) return res;
    if (fault.latencyMs) res.delayMs = fault.latencyMs;
    if (fault.body === 'truncated') res.body = res.body.slice(0, Math.max(1, Math.floor(res.body.length / 2)));
    if (fault.body === 'empty') res.body = '';
    if (fault.body === 'non-json') {
      res.body = GATEWAY_HTML;
      res.headers['content-type'] = 'text/html';
    }
    return res;
  }

  /** Resolves a Nango proxy call to the headers Affinity receives, or Nango's error. */
  private nangoUpstream(
    headers: Record<string, string>,
  ): { headers: Record<string, string> } | { error: { code: string; message: string } } {
    const secret = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? '')?.[1]?.trim();
    const accounts = (this.seedData.nango ?? []).filter((n) => n.secretKey === secret);
    if (!secret || accounts.length === 0) {
      return {
        error: { code: 'unknown_account', message: 'Authentication failed. The provided secret key is not valid.' },
      };
    }
    const pck = headers['provider-config-key'];
    const cid = headers['connection-id'];
    if (!pck || !cid) {
      return { error: { code: 'missing_headers', message: 'Missing Provider-Config-Key or Connection-Id header.' } };
    }
    const conn = accounts.find((n) => n.providerConfigKey === pck && n.connectionId === cid);
    if (!conn)
      return { error: { code: 'unknown_connection', message: `No connection '${cid}' for integration '${pck}'.` } };
    // Only `Nango-Proxy-*` headers reach the provider, prefix removed (Nango's parseHeaders); Nango adds the
    // credentials. A body goes out as JSON (axios serialising the parsed body: an assumption, see docs).
    const out: Record<string, string> = {};
    if (headers['content-type'] !== undefined) out['content-type'] = 'application/json';
    for (const [k, v] of Object.entries(headers))
      if (k.startsWith('nango-proxy-')) out[k.slice('nango-proxy-'.length)] = v;
    out.authorization = `Bearer ${conn.apiKey}`;
    return { headers: out };
  }

  private authenticate(headers: Record<string, string>): SeedUser | ApiError {
    const auth = headers.authorization;
    if (!auth)
      return new ApiError(401, 'authentication', 'No API key was provided; send Authorization: Bearer <API key>');
    const key = /^Bearer\s+(.+)$/i.exec(auth)?.[1]?.trim();
    const user = key ? this.users.get(key) : undefined;
    return user ?? new ApiError(401, 'authentication', 'The API key provided is not valid');
  }

  /** The version served: the header's, else the key's default version, else the current one. */
  private versionOf(headers: Record<string, string>, user?: SeedUser | ApiError): string {
    const v = headers['x-affinity-api-version'];
    if (v === 'current') return CURRENT_API_VERSION;
    if (v && (SUPPORTED_API_VERSIONS as readonly string[]).includes(v)) return v;
    if (v === undefined && user && !(user instanceof ApiError)) return user.defaultApiVersion ?? CURRENT_API_VERSION;
    return CURRENT_API_VERSION;
  }

  // ---- rate limits ------------------------------------------------------------------------------------------

  private get perMinute(): number {
    return this.seedData.rateLimit?.perMinute ?? 900;
  }

  private get perMonth(): number | null {
    return this.seedData.rateLimit?.perMonth ?? null;
  }

  private windows(user: SeedUser, now: number) {
    let minute = this.minuteWindows.get(user.whoami.user.id);
    if (!minute || now >= minute.start + MINUTE_MS || now < minute.start) {
      minute = { start: now, count: 0 };
      this.minuteWindows.set(user.whoami.user.id, minute);
    }
    let month = this.monthWindows.get(user.whoami.tenant.id);
    const monthStart = Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), 1);
    if (!month || month.start !== monthStart) {
      month = { start: monthStart, count: 0 };
      this.monthWindows.set(user.whoami.tenant.id, month);
    }
    return { minute, month };
  }

  /** Counts a request; false when a limit is spent (the request is then not counted). */
  private consume(user: SeedUser, now: number, countMonthly: boolean): boolean {
    const { minute, month } = this.windows(user, now);
    const perMonth = this.perMonth;
    if (minute.count >= this.perMinute) return false;
    if (countMonthly && perMonth !== null && month.count >= perMonth) return false;
    minute.count++;
    if (countMonthly) month.count++;
    return true;
  }

  private usage(user: SeedUser, now: number): { callerPerMinute: RateLimitWindow; orgPerMonth?: RateLimitWindow } {
    const { minute, month } = this.windows(user, now);
    const callerPerMinute = {
      limit: this.perMinute,
      remaining: Math.max(0, this.perMinute - minute.count),
      reset: Math.max(0, Math.ceil((minute.start + MINUTE_MS - now) / 1000)),
      used: minute.count,
    };
    const perMonth = this.perMonth;
    if (perMonth === null) return { callerPerMinute };
    const orgPerMonth = {
      limit: perMonth,
      remaining: Math.max(0, perMonth - month.count),
      reset: Math.max(0, Math.ceil((startOfNextMonth(now) - now) / 1000)),
      used: month.count,
    };
    return { callerPerMinute, orgPerMonth };
  }

  private baseHeaders(now: number, user: SeedUser | undefined, version: string): Record<string, string> {
    const headers: Record<string, string> = { 'x-affinity-api-version': version };
    if (!user) return headers;
    const { callerPerMinute: m, orgPerMonth: o } = this.usage(user, now);
    headers['x-ratelimit-limit-user'] = String(m.limit);
    headers['x-ratelimit-limit-user-remaining'] = String(m.remaining);
    headers['x-ratelimit-limit-user-reset'] = String(m.reset);
    if (o) {
      headers['x-ratelimit-limit-org'] = String(o.limit);
      headers['x-ratelimit-limit-org-remaining'] = String(o.remaining);
      headers['x-ratelimit-limit-org-reset'] = String(o.reset);
    }
    return headers;
  }

  private errorResponse(err: ApiError, now: number, user?: SeedUser, version = CURRENT_API_VERSION): EmulatorResponse {
    const headers = this.baseHeaders(now, user, version);
    headers['content-type'] = 'application/json';
    return { status: err.status, headers, body: JSON.stringify(err.body()) };
  }

  // ---- routing ----------------------------------------------------------------------------------------------

  private route(ctx: Ctx): Reply {
    const matches = this.routes.map((r) => ({ r, m: r.pattern.exec(ctx.path) })).filter((x) => x.m);
    if (matches.length === 0 || !matches.some((x) => x.r.method === ctx.method)) {
      // Any other operation of Affinity's 2026-09-17 spec exists in Affinity: the emulator says it does not model it.
      const op = matchOperation(ctx.method, ctx.path);
      if (op) throw new ApiError(501, 'not-implemented', `The emulator does not implement ${op.key}`);
    }
    if (matches.length === 0) throw notFound(`No route for ${ctx.path}`);
    // An operation newer than the version served does not exist there (e.g. dropdown options at 2024-01-01).
    const older = subset.olderVersions[ctx.version];
    const op = older && matchOperation(ctx.method, ctx.path);
    if (older && op && !older.includes(op.key))
      throw notFound(`No route for ${ctx.path} in API version ${ctx.version}`);
    const hit = matches.find((x) => x.r.method === ctx.method);
    if (!hit) throw new ApiError(405, 'method-not-allowed', `Method ${ctx.method} is not allowed on ${ctx.path}`);
    const params = hit.m!.slice(1).map((p) => {
      try {
        return decodeURIComponent(p);
      } catch {
        throw notFound(`No route for ${ctx.path}`);
      }
    });
    if ((ctx.method === 'POST' || ctx.method === 'PATCH') && ctx.body) {
      const type = (ctx.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
      if (type !== 'application/json')
        throw new ApiError(415, 'unsupported-media-type', `Content-Type must be application/json, got '${type}'`);
    }
    return hit.r.run(ctx, params);
  }

  private buildRoutes(): Route[] {
    const P = '([^/]+)';
    const r = (method: string, path: string, run: Route['run']): Route => ({
      method,
      pattern: new RegExp(`^${path.replace(/\{\w+\}/g, P)}$`),
      run,
    });
    const ok = (body: unknown): Reply => ({ status: 200, body });
    const notEmulated: Route['run'] = (ctx) => {
      throw new ApiError(501, 'not-implemented', `The emulator does not implement ${ctx.method} ${ctx.path}`);
    };
    return [
      r('GET', '/v2/auth/whoami', (c) => ok(c.user.whoami)),
      r('GET', '/v2/rate-limit', (c) => ok(this.usage(c.user, c.now))),
      r('GET', '/v2/lists', (c) => ok(this.getLists(c))),
      r('POST', '/v2/lists', notEmulated),
      r('GET', '/v2/lists/{listId}', (_c, [l]) => ok(this.requireList(int(l, 'listId')).list)),
      r('GET', '/v2/lists/{listId}/fields', (c, [l]) =>
        ok(this.page(c, this.requireList(int(l, 'listId')).fields, (f) => f.id)),
      ),
      r('GET', '/v2/lists/{listId}/fields/{fieldId}/dropdown-options', (c, [l, f]) =>
        ok(this.page(c, this.dropdownOptions(int(l, 'listId'), f), (o) => o.id)),
      ),
      r('POST', '/v2/lists/{listId}/fields/{fieldId}/dropdown-options', notEmulated),
      r('GET', '/v2/lists/{listId}/fields/{fieldId}/dropdown-options/{dropdownOptionId}', (_c, [l, f, o]) => {
        const option = this.dropdownOptions(int(l, 'listId'), f).find((x) => x.id === int(o, 'dropdownOptionId'));
        if (!option) throw notFound(`Dropdown option ${o} not found`);
        return ok(option);
      }),
      r('POST', '/v2/lists/{listId}/fields/{fieldId}/dropdown-options/{dropdownOptionId}', notEmulated),
      r('DELETE', '/v2/lists/{listId}/fields/{fieldId}/dropdown-options/{dropdownOptionId}', notEmulated),
      r('GET', '/v2/lists/{listId}/saved-views', (c, [l]) =>
        ok(this.page(c, this.requireList(int(l, 'listId')).views.map(viewSummary), (v) => v.id)),
      ),
      r('GET', '/v2/lists/{listId}/saved-views/{viewId}', (_c, [l, v]) =>
        ok(viewSummary(this.requireView(int(l, 'listId'), int(v, 'viewId')))),
      ),
      r('GET', '/v2/lists/{listId}/saved-views/{viewId}/columns', (c, [l, v]) =>
        ok(this.viewColumns(c, int(l, 'listId'), int(v, 'viewId'))),
      ),
      r('GET', '/v2/lists/{listId}/saved-views/{viewId}/list-entries', (c, [l, v]) =>
        ok(this.viewEntries(c, int(l, 'listId'), int(v, 'viewId'))),
      ),
      r('GET', '/v2/lists/{listId}/list-entries', (c, [l]) => ok(this.listEntries(c, int(l, 'listId')))),
      r('POST', '/v2/lists/{listId}/list-entries', (c, [l]) => ({
        status: 201,
        body: this.createListEntry(c, int(l, 'listId')),
      })),
      r('POST', '/v2/companies/search', (c) => ({ status: 201, body: this.search(c, 'company') })),
      r('POST', '/v2/persons/search', (c) => ({ status: 201, body: this.search(c, 'person') })),
      r('POST', '/v2/lists/{listId}/list-entries/search', notEmulated),
      r('GET', '/v2/lists/{listId}/list-entries/{listEntryId}', (c, [l, e]) =>
        ok(this.listEntry(c, int(l, 'listId'), int(e, 'listEntryId'))),
      ),
      r('GET', '/v2/lists/{listId}/list-entries/{listEntryId}/fields', (c, [l, e]) =>
        ok(this.entryFields(c, int(l, 'listId'), int(e, 'listEntryId'))),
      ),
      r('PATCH', '/v2/lists/{listId}/list-entries/{listEntryId}/fields', (c, [l, e]) =>
        ok(this.batchUpdate(c, int(l, 'listId'), int(e, 'listEntryId'))),
      ),
      r('GET', '/v2/lists/{listId}/list-entries/{listEntryId}/fields/{fieldId}', (c, [l, e, f]) =>
        ok(this.entryField(int(l, 'listId'), int(e, 'listEntryId'), f)),
      ),
      r('POST', '/v2/lists/{listId}/list-entries/{listEntryId}/fields/{fieldId}', (c, [l, e, f]) =>
        this.updateField(c, int(l, 'listId'), int(e, 'listEntryId'), f),
      ),
      r('GET', '/v2/lists/{listId}/list-entries/{listEntryId}/fields/{fieldId}/values', (c, [l, e, f]) =>
        ok(this.fieldValues(c, int(l, 'listId'), int(e, 'listEntryId'), f)),
      ),
      r('GET', '/v2/lists/{listId}/list-entries/{listEntryId}/field-value-changes', (c, [l, e]) =>
        ok(this.entryChanges(c, int(l, 'listId'), int(e, 'listEntryId'))),
      ),
      r('GET', '/v2/field-value-changes', (c) => ok(this.allChanges(c))),
      r('GET', '/v2/persons', (c) => ok(this.page(c, this.byIds(c, this.personEntities()), (p) => p.id))),
      r('GET', '/v2/persons/{personId}', (c, [p]) =>
        ok(this.withLists(c, 'person', this.one(this.personEntities(), int(p, 'personId'), 'Person'))),
      ),
      r('GET', '/v2/companies', (c) => ok(this.page(c, this.byIds(c, this.companyEntities()), (x) => x.id))),
      r('GET', '/v2/companies/{companyId}', (c, [x]) =>
        ok(this.withLists(c, 'company', this.one(this.companyEntities(), int(x, 'companyId'), 'Company'))),
      ),
      r('GET', '/v2/companies/{companyId}/list-entries', (c, [x]) =>
        ok(this.entityListEntries(c, 'company', int(x, 'companyId'))),
      ),
      r('GET', '/v2/persons/{personId}/list-entries', (c, [x]) =>
        ok(this.entityListEntries(c, 'person', int(x, 'personId'))),
      ),
      r('GET', '/v2/opportunities', (c) => ok(this.page(c, this.byIds(c, this.opportunities()), (x) => x.id))),
      r('GET', '/v2/opportunities/{opportunityId}', (_c, [x]) =>
        ok(this.one(this.opportunities(), int(x, 'opportunityId'), 'Opportunity')),
      ),
    ];
  }

  // ---- reads ------------------------------------------------------------------------------------------------

  private page<T>(ctx: Ctx, items: readonly T[], keyOf: (item: T) => string | number, defaultLimit = 100) {
    const {
      items: data,
      nextUrl,
      prevUrl,
    } = paginate(items, keyOf, { baseUrl: this.baseUrl, path: ctx.path, query: ctx.query, defaultLimit });
    return { data, pagination: { prevUrl, nextUrl } };
  }

  private getLists(ctx: Ctx) {
    const term = ctx.query.get('term')?.toLowerCase();
    const lists = [...this.lists.values()]
      .map((s) => s.list)
      .filter((l) => !term || l.name.toLowerCase().includes(term));
    return this.page(ctx, lists, (l) => l.id);
  }

  private dropdownOptions(listId: number, fieldId: string): DropdownOption[] {
    const meta = this.requireList(listId).fieldById.get(fieldId);
    if (!meta) throw notFound(`Field ${fieldId} not found on list ${listId}`);
    if (!DROPDOWN_TYPES.has(meta.valueType)) throw badRequest(`Field ${fieldId} is not a dropdown field`);
    return [...(this.options.get(fieldId)?.values() ?? [])];
  }

  private requireExport(ctx: Ctx): void {
    if (ctx.user.canExport === false) {
      throw forbidden("This action requires the 'Export data from Lists' permission");
    }
  }

  private viewEntries(ctx: Ctx, listId: number, viewId: number) {
    const state = this.requireList(listId);
    const view = this.requireView(listId, viewId);
    this.requireExport(ctx);
    if (view.type !== 'sheet')
      throw badRequest(`Saved view ${viewId} is a ${view.type} view: only sheet-type views are supported`);
    const metas = view.fieldIds.map((id) => state.fieldById.get(id)).filter((m): m is FieldMetadata => m !== undefined);
    const page = this.page(ctx, view.entryIds, (id) => id);
    const data = page.data.flatMap((id) => {
      const entry = state.entries.get(id);
      return entry ? [this.present(entry, metas)] : [];
    });
    return { data, pagination: page.pagination };
  }

  /**
   * A view's columns, in its order, whatever its rows (none included). ASSUMED shape (Affinity's reference documents
   * the endpoint but its schema could not be found): a page of the list's `FieldMetadata`, like `…/fields`.
   */
  private viewColumns(ctx: Ctx, listId: number, viewId: number) {
    const state = this.requireList(listId);
    const view = this.requireView(listId, viewId);
    const metas = view.fieldIds.map((id) => state.fieldById.get(id)).filter((m): m is FieldMetadata => m !== undefined);
    return this.page(ctx, metas, (m) => m.id);
  }

  /** Which fields `fieldIds`/`fieldTypes` (or `ids`/`types`) select; undefined when neither is given. */
  private selectFields(
    ctx: Ctx,
    state: ListState,
    idsParam: string,
    typesParam: string,
    all: boolean,
  ): FieldMetadata[] | undefined {
    const ids = ctx.query.getAll(idsParam);
    const types = ctx.query.getAll(typesParam);
    for (const t of types)
      if (!FIELD_TYPES.includes(t)) throw validation(typesParam, `'${t}' is not a valid field type`);
    for (const id of ids)
      if (!state.fieldById.has(id)) throw validation(idsParam, `Field ${id} not found on list ${state.list.id}`);
    if (ids.length === 0 && types.length === 0) return all ? state.fields : undefined;
    return state.fields.filter((f) => ids.includes(f.id) || types.includes(f.type));
  }

  private listEntries(ctx: Ctx, listId: number) {
    const state = this.requireList(listId);
    this.requireExport(ctx);
    const metas = this.selectFields(ctx, state, 'fieldIds', 'fieldTypes', false);
    const page = this.page(ctx, state.order, (id) => id);
    return { data: page.data.map((id) => this.present(state.entries.get(id)!, metas)), pagination: page.pagination };
  }

  /**
   * `GET /v2/companies/{id}/list-entries`, `GET /v2/persons/{id}/list-entries`: the entity's rows on every list, as
   * `ListEntry` (id, listId, listName, createdAt, creatorId, fields: the list's fields, all of them), paged.
   */
  private entityListEntries(ctx: Ctx, type: 'company' | 'person', entityId: number) {
    const all = type === 'company' ? this.companyEntities() : this.personEntities();
    if (!all.some((x) => x.id === entityId))
      throw notFound(`${type === 'company' ? 'Company' : 'Person'} ${entityId} not found`);
    const rows: { entry: ListEntryWithEntity; state: ListState }[] = [];
    for (const state of this.lists.values()) {
      if (state.list.type !== type) continue;
      for (const id of state.order) {
        const entry = state.entries.get(id)!;
        if (entry.entity.id === entityId) rows.push({ entry, state });
      }
    }
    const page = this.page(ctx, rows, (r) => r.entry.id);
    return {
      data: page.data.map(({ entry, state }) => ({
        id: entry.id,
        listId: state.list.id,
        listName: state.list.name,
        createdAt: entry.createdAt,
        creatorId: entry.creatorId ?? null,
        fields: this.present(entry, state.fields).entity.fields ?? [],
      })),
      pagination: page.pagination,
    };
  }

  private listEntry(ctx: Ctx, listId: number, entryId: number) {
    const { state, entry } = this.requireEntry(listId, entryId);
    return this.present(entry, this.selectFields(ctx, state, 'fieldIds', 'fieldTypes', false));
  }

  private entryFields(ctx: Ctx, listId: number, entryId: number) {
    const { state, entry } = this.requireEntry(listId, entryId);
    const metas = this.selectFields(ctx, state, 'ids', 'types', true)!;
    const restricted = isRestricted(entry);
    return this.page(
      ctx,
      metas.map((m) => presentField(this.storedField(entry, m), restricted)),
      (f) => f.id,
      20,
    );
  }

  private entryField(listId: number, entryId: number, fieldId: string): Field {
    const { state, entry } = this.requireEntry(listId, entryId);
    const meta = state.fieldById.get(fieldId);
    if (!meta) throw notFound(`Field ${fieldId} not found on list ${listId}`);
    return presentField(this.storedField(entry, meta), isRestricted(entry));
  }

  private fieldValues(ctx: Ctx, listId: number, entryId: number, fieldId: string) {
    const { state, entry } = this.requireEntry(listId, entryId);
    const meta = state.fieldById.get(fieldId);
    if (!meta) throw notFound(`Field ${fieldId} not found on list ${listId}`);
    const paged = [
      'company',
      'company-multi',
      'dropdown',
      'dropdown-multi',
      'filterable-text',
      'filterable-text-multi',
      'list-multi',
      'location',
      'location-multi',
      'person',
      'person-multi',
      'ranked-dropdown',
    ];
    if (!paged.includes(meta.valueType)) throw badRequest(`Values of a ${meta.valueType} field cannot be paged`);
    if (isRestricted(entry)) throw forbidden('This opportunity is restricted');
    const data = this.storedField(entry, meta).value.data as unknown;
    const items = data === null ? [] : Array.isArray(data) ? data : [data];
    const page = this.page(
      ctx,
      items.map((item, i) => ({ item, i })),
      (x) => x.i,
    );
    return { type: meta.valueType, data: page.data.map((x) => x.item), pagination: page.pagination };
  }

  /** An entry as served: with the selected fields (in the given order), or without `fields` when none are selected. */
  private present(entry: ListEntryWithEntity, metas: FieldMetadata[] | undefined): ListEntryWithEntity {
    const { fields: _all, ...entity } = entityOf(entry);
    if (!metas) return { ...entry, entity } as ListEntryWithEntity;
    const restricted = isRestricted(entry);
    let fields = metas.map((m) => presentField({ ...this.storedField(entry, m), name: m.name }, restricted));
    if (this.rowShape === 'sparse') {
      fields = fields.filter((f) => f.value.data !== null);
      const k = fields.length ? entry.id % fields.length : 0;
      fields = [...fields.slice(k), ...fields.slice(0, k)];
    }
    return { ...entry, entity: { ...entity, fields } } as ListEntryWithEntity;
  }

  /** The entry's stored field, or an empty one when the entry does not carry it. */
  private storedField(entry: ListEntryWithEntity, meta: FieldMetadata): Field {
    const found = entityOf(entry).fields?.find((f) => f.id === meta.id);
    return (
      found ?? {
        id: meta.id,
        name: meta.name,
        type: meta.type,
        enrichmentSource: meta.enrichmentSource,
        value: nullValue(meta.valueType),
      }
    );
  }

  private byIds<T extends { id: number }>(ctx: Ctx, items: T[]): T[] {
    const ids = ctx.query.getAll('ids').map((x) => int(x, 'ids'));
    return ids.length ? items.filter((x) => ids.includes(x.id)) : items;
  }

  private one<T extends { id: number }>(items: T[], id: number, what: string): T {
    const found = items.find((x) => x.id === id);
    if (!found) throw notFound(`${what} ${id} not found`);
    return found;
  }

  /**
   * Entities for /v2/persons, /v2/companies, /v2/opportunities: those of the lists' entries (without fields), then
   * directory entries not already there, sorted by id.
   */
  private entities(type: ListWithType['type'], directory: { id: number }[] = []): { id: number }[] {
    const out = new Map<number, { id: number }>();
    for (const state of this.lists.values()) {
      if (state.list.type !== type) continue;
      for (const entry of state.entries.values()) {
        const { fields: _fields, ...entity } = entityOf(entry);
        if (!out.has(entity.id))
          out.set(
            entity.id,
            type === 'opportunity' ? ({ ...entity, listName: state.list.name } as { id: number }) : entity,
          );
      }
    }
    for (const x of directory) if (!out.has(x.id)) out.set(x.id, x);
    return [...out.values()].sort((a, b) => a.id - b.id);
  }

  private personEntities() {
    const directory = [...this.persons.values()].map((p) => ({
      id: p.id,
      firstName: p.firstName ?? '',
      lastName: p.lastName,
      primaryEmailAddress: p.primaryEmailAddress,
      emailAddresses: p.primaryEmailAddress ? [p.primaryEmailAddress] : [],
      type: p.type === 'internal' ? 'internal' : 'external',
    }));
    return this.entities('person', directory);
  }

  private companyEntities() {
    const directory = [...this.companies.values()].map((c) => ({
      ...c,
      domains: c.domain ? [c.domain] : [],
      isGlobal: false,
    }));
    return this.entities('company', directory);
  }

  private opportunities() {
    return this.entities('opportunity');
  }

  // ---- writes -----------------------------------------------------------------------------------------------

  private get directory(): Directory {
    return {
      option: (fieldId, id) => this.options.get(fieldId)?.get(id),
      person: (id) => this.persons.get(id),
      company: (id) => this.companies.get(id),
      mergedInto: (type, id) => this.merged.get(`${type}:${id}`),
    };
  }

  private writeTarget(ctx: Ctx, listId: number, entryId: number) {
    this.requireList(listId);
    this.requireExport(ctx);
    const target = this.requireEntry(listId, entryId);
    return target;
  }

  private updateField(ctx: Ctx, listId: number, entryId: number, fieldId: string): Reply {
    const { state, entry } = this.writeTarget(ctx, listId, entryId);
    const meta = state.fieldById.get(fieldId);
    if (!meta) throw notFound(`Field ${fieldId} not found on list ${listId}`);
    const body = parseJson(ctx.body) as { value?: unknown } | undefined;
    if (isRestricted(entry))
      throw forbidden(`List entry ${entryId} is a restricted opportunity; its fields cannot be changed`);
    if (typeof body !== 'object' || body === null || Array.isArray(body) || body.value === undefined)
      throw validation('value', 'value is required');
    const next = resolveUpdate(meta, body.value, this.directory, 'value');
    this.applyWrite(state, entry, meta, next, this.changerOf(ctx.user), ctx.now);
    return { status: 204 };
  }

  private batchUpdate(ctx: Ctx, listId: number, entryId: number) {
    const { state, entry } = this.writeTarget(ctx, listId, entryId);
    const body = parseJson(ctx.body) as { operation?: unknown; updates?: unknown } | undefined;
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw validation('operation', 'operation is required');
    if (body.operation !== 'update-fields') throw validation('operation', `operation must be 'update-fields'`);
    if (!Array.isArray(body.updates)) throw validation('updates', 'updates must be an array');
    if (body.updates.length > 100)
      throw validation('updates', `updates must have at most 100 items, got ${body.updates.length}`);
    if (isRestricted(entry))
      throw forbidden(`List entry ${entryId} is a restricted opportunity; its fields cannot be changed`);
    // All-or-nothing: validate every update before applying any.
    const resolved = body.updates.map((u: unknown, i: number) => {
      const update = u as { id?: unknown; value?: unknown };
      if (typeof update !== 'object' || update === null || typeof update.id !== 'string')
        throw validation(`updates[${i}].id`, `updates[${i}].id must be a field id`);
      const meta = state.fieldById.get(update.id);
      if (!meta) throw validation(`updates[${i}].id`, `Field ${update.id} not found on list ${listId}`);
      if (update.value === undefined) throw validation(`updates[${i}].value`, `updates[${i}].value is required`);
      return { meta, value: resolveUpdate(meta, update.value, this.directory, `updates[${i}].value`) };
    });
    const changer = this.changerOf(ctx.user);
    for (const { meta, value } of resolved) {
      this.applyWrite(state, state.entries.get(entryId)!, meta, value, changer, ctx.now);
    }
    return { operation: 'update-fields' };
  }

  // ---- beta: search and list-entry creation -------------------------------------------------------------------

  /** Checks a request against the spec's operation (parameters and body): Affinity's 400 `validation` otherwise. */
  private checkAgainstSpec(ctx: Ctx): unknown {
    const body = parseJson(ctx.body);
    const q = ctx.query.toString();
    const v = validateRequest(ctx.method, `${ctx.path}${q ? `?${q}` : ''}`, body);
    if (!v.ok) {
      const first = v.errors[0];
      const m = /^(request body|query|path) (\/\S*)/.exec(first);
      const param = m
        ? m[2]
            .replace(/^\//, '')
            .replace(/\/(\d+)/g, '[$1]')
            .replace(/\//g, '.') || (m[1] === 'request body' ? 'body' : m[1])
        : 'body';
      throw validation(param, first);
    }
    return body;
  }

  /**
   * `POST /v2/companies/search`, `POST /v2/persons/search` (beta). `search.term`, case-insensitive: a company whose
   * name contains it or one of whose domains equals or contains it (a URL is reduced to its host, `www.` dropped); a
   * person whose full name contains it or one of whose email addresses equals or contains it. `filters` and `sorts`
   * are not modelled (501). Entities come without `fields`.
   */
  private search(ctx: Ctx, type: 'company' | 'person') {
    const body = (this.checkAgainstSpec(ctx) ?? {}) as {
      search?: { term: string };
      filters?: unknown;
      sorts?: unknown;
    };
    if (body.filters !== undefined || body.sorts !== undefined)
      throw new ApiError(501, 'not-implemented', 'The emulator does not model search filters or sorts');
    const raw = (body.search?.term ?? '').trim().toLowerCase();
    const host = raw
      .replace(/^[a-z]+:\/\//, '')
      .replace(/^www\./, '')
      .split(/[/?#]/)[0];
    const matches = (text: string | null | undefined) => !!text && text.toLowerCase().includes(raw);
    const items =
      type === 'company'
        ? (this.companyEntities() as unknown as { name: string; domains?: string[]; domain?: string | null }[]).filter(
            (c) =>
              !raw ||
              matches(c.name) ||
              [...(c.domains ?? []), ...(c.domain ? [c.domain] : [])].some(
                (d) => d.toLowerCase() === host || matches(d),
              ),
          )
        : (
            this.personEntities() as unknown as {
              firstName: string;
              lastName: string | null;
              emailAddresses?: string[];
              primaryEmailAddress?: string | null;
            }[]
          ).filter(
            (p) =>
              !raw ||
              matches([p.firstName, p.lastName].filter(Boolean).join(' ')) ||
              [...(p.emailAddresses ?? []), ...(p.primaryEmailAddress ? [p.primaryEmailAddress] : [])].some(
                (e) => e.toLowerCase() === raw || matches(e),
              ),
          );
    const plain = (items as unknown as { id: number; fields?: unknown }[]).map(({ fields: _f, ...x }) => x);
    const page = this.page(ctx, plain, (x) => x.id);
    return { data: page.data.map((x) => this.withLists(ctx, type, x)), pagination: page.pagination };
  }

  /**
   * Field selection on company and person reads and searches: only the `Lists` field (id `lists`, global,
   * `list-multi`) is modelled, its value computed from the lists the entity is on now (`ListData` of each list, the
   * list's entry count as `entityCount`; `data: null` on none: "When an array-typed value has no data in it, the API
   * will return null"). No selection: no `fields`. Any other field id: 400 validation (`fieldIds`).
   */
  private withLists<T extends { id: number }>(ctx: Ctx, type: 'company' | 'person', entity: T): T {
    const ids = ctx.query.getAll('fieldIds');
    if (ids.length === 0) return entity;
    const other = ids.find((id) => id !== 'lists');
    if (other !== undefined) throw validation('fieldIds', `Unknown field id ${other}`);
    const lists: ListData[] = [];
    for (const state of this.lists.values()) {
      if (state.list.type !== type) continue;
      if ([...state.entries.values()].some((e) => entity_id(e) === entity.id))
        lists.push({ id: state.list.id, name: state.list.name, type, entityCount: state.order.length });
    }
    const value = { type: 'list-multi', data: lists.length > 0 ? lists.slice(0, 100) : null, totalCount: lists.length };
    return { ...entity, fields: [{ id: 'lists', name: 'Lists', type: 'global', enrichmentSource: null, value }] };
  }

  /**
   * `POST /v2/lists/{listId}/list-entries` (beta): adds a company or person to a company or person list, as a new row
   * with every field empty (an entity may be on a list more than once: Affinity's data model). Not for opportunity
   * lists (an opportunity is created with its list entry: v1 `POST /opportunities`).
   */
  private createListEntry(ctx: Ctx, listId: number): ListEntryWithEntity {
    const state = this.requireList(listId);
    this.requireExport(ctx);
    const body = this.checkAgainstSpec(ctx) as { entity: { id: number }; creatorId?: number };
    const type = state.list.type;
    if (type === 'opportunity')
      throw badRequest(
        `List ${listId} is an opportunity list: create the opportunity instead (API v1 POST /opportunities)`,
      );
    const id = body.entity.id;
    const target = this.merged.get(`${type}:${id}`);
    if (target !== undefined)
      throw new ApiError(422, 'unprocessable-entity', `The ${type} ${id} was merged into ${type} ${target}`);
    const known = (type === 'company' ? this.companyEntities() : this.personEntities()).find((x) => x.id === id);
    if (!known) throw validation('entity.id', `${type === 'company' ? 'Company' : 'Person'} ${id} not found`);
    // "If the List has a required field, the request is rejected with 400 Bad Request and the missing field IDs are
    // returned in the response body" (Add a List Entry to a List, 2026-09-17): the endpoint takes no field values.
    const required = state.fields.filter((m) => m.type === 'list' && m.isRequired).map((m) => m.id);
    if (required.length > 0)
      throw badRequest(`Cannot add to list ${listId}: required fields are missing: ${required.join(', ')}`);
    const { fields: _f, ...entity } = known as { id: number; fields?: unknown };
    const entry = {
      id: this.nextEntryId(),
      listId,
      type,
      createdAt: new Date(ctx.now).toISOString(),
      creatorId: body.creatorId ?? ctx.user.whoami.user.id,
      entity: {
        ...entity,
        fields: state.fields.map((m) => ({
          id: m.id,
          name: m.name,
          type: m.type,
          enrichmentSource: m.enrichmentSource,
          value: nullValue(m.valueType),
        })),
      },
    } as unknown as ListEntryWithEntity;
    state.entries.set(entry.id, entry);
    state.order.push(entry.id);
    return this.present(entry, undefined);
  }

  private nextEntryId(): number {
    let max = 0;
    for (const state of this.lists.values()) for (const id of state.entries.keys()) max = Math.max(max, id);
    return max + 1;
  }

  // ---- API v1: opportunities --------------------------------------------------------------------------------

  private handleV1(
    method: string,
    path: string,
    headers: Record<string, string>,
    body: string | undefined,
    now: number,
    log: LoggedRequest,
    fault: Fault | undefined,
  ): EmulatorResponse {
    const answer = (status: number, value: unknown, user?: SeedUser): EmulatorResponse => {
      const h: Record<string, string> = { 'content-type': 'application/json' };
      if (user) {
        const { callerPerMinute: m, orgPerMonth: o } = this.usage(user, now);
        h['x-affinity-ratelimit-perminute-limit'] = String(m.limit);
        h['x-affinity-ratelimit-perminute-remaining'] = String(m.remaining);
        if (o) {
          h['x-affinity-ratelimit-limit'] = String(o.limit);
          h['x-affinity-ratelimit-remaining'] = String(o.remaining);
          h['x-affinity-ratelimit-reset'] = String(Math.floor(startOfNextMonth(now) / 1000));
        }
      }
      return { status, headers: h, body: JSON.stringify(value) };
    };
    const key = v1Key(headers.authorization);
    const user = key ? this.users.get(key) : undefined;
    if (fault?.status) return answer(fault.status, { message: `Injected ${fault.status}` }, user);
    if (!user) return answer(401, { message: 'Authentication required or has failed' });
    log.userId = user.whoami.user.id;
    if (user.apiAccess === false) return answer(403, { message: 'Your Affinity plan does not include API access' });
    if (!this.consume(user, now, true)) return answer(429, { message: 'Rate limit exceeded' }, user);
    try {
      if (method === 'POST' && path === '/opportunities')
        return answer(200, this.createOpportunityV1(user, body, now), user);
      const one = /^\/opportunities\/(\d+)$/.exec(path);
      if (method === 'GET' && one) return answer(200, this.opportunityV1(Number(one[1])), user);
      if (path === '/opportunities' || one) throw new V1Error(405, `Method ${method} is not modelled on ${path}`);
      throw new V1Error(404, `No route for ${path}`);
    } catch (e) {
      if (e instanceof V1Error) return answer(e.status, { message: e.message }, user);
      if (e instanceof ApiError) return answer(e.status, { message: e.message }, user);
      throw e;
    }
  }

  private createOpportunityV1(
    user: SeedUser,
    raw: string | undefined,
    now: number,
  ): Omit<V1Opportunity, 'person_ids' | 'organization_ids'> {
    let parsed: unknown;
    try {
      parsed = raw === undefined || raw === '' ? undefined : JSON.parse(raw);
    } catch {
      throw new V1Error(400, 'The request body is not valid JSON');
    }
    const req = parseCreateOpportunity(parsed);
    const state = this.lists.get(req.listId);
    if (!state) throw new V1Error(404, `List ${req.listId} not found`);
    if (state.list.type !== 'opportunity') throw new V1Error(400, `List ${req.listId} is not an opportunity list`);
    for (const id of req.personIds)
      if (!this.personEntities().some((p) => p.id === id)) throw new V1Error(400, `Person ${id} not found`);
    for (const id of req.organizationIds)
      if (!this.companyEntities().some((c) => c.id === id)) throw new V1Error(400, `Organization ${id} not found`);
    const oppId = Math.max(0, ...this.opportunities().map((o) => o.id)) + 1;
    const entry = {
      id: this.nextEntryId(),
      listId: req.listId,
      type: 'opportunity',
      createdAt: new Date(now).toISOString(),
      creatorId: user.whoami.user.id,
      entity: {
        id: oppId,
        name: req.name,
        listId: req.listId,
        isRedacted: false,
        isRestricted: false,
        fields: state.fields.map((m) => ({
          id: m.id,
          name: m.name,
          type: m.type,
          enrichmentSource: m.enrichmentSource,
          value: nullValue(m.valueType),
        })),
      },
    } as unknown as ListEntryWithEntity;
    state.entries.set(entry.id, entry);
    state.order.push(entry.id);
    this.oppAssociations.set(oppId, { personIds: req.personIds, organizationIds: req.organizationIds });
    const { person_ids: _p, organization_ids: _o, ...created } = this.opportunityV1(oppId);
    return created; // "without person_id and organization_id" (v1 docs)
  }

  private opportunityV1(id: number): V1Opportunity {
    for (const state of this.lists.values()) {
      if (state.list.type !== 'opportunity') continue;
      for (const entry of state.entries.values()) {
        if (entity_id(entry) !== id) continue;
        const links = this.oppAssociations.get(id) ?? { personIds: [], organizationIds: [] };
        const listEntry: V1ListEntry = {
          id: entry.id,
          creator_id: entry.creatorId ?? null,
          list_id: state.list.id,
          entity_id: id,
          entity_type: V1_OPPORTUNITY_ENTITY_TYPE,
          created_at: entry.createdAt,
        };
        return {
          id,
          name: (entry.entity as { name: string }).name,
          person_ids: links.personIds,
          organization_ids: links.organizationIds,
          list_entries: [listEntry],
        };
      }
    }
    throw new V1Error(404, `Opportunity ${id} not found`);
  }

  private changerOf(user: SeedUser): User {
    const { id, firstName, lastName, emailAddress } = user.whoami.user;
    return { id, firstName, lastName, emailAddress };
  }

  /** Stores a value (a global field changes on every list holding the entity) and records the change. */
  private applyWrite(
    state: ListState,
    entry: ListEntryWithEntity,
    meta: FieldMetadata,
    value: FieldValue,
    changer: User | null,
    at: number,
  ): void {
    const before = this.storedField(entry, meta).value;
    if (meta.type === 'global') {
      for (const other of this.lists.values()) {
        if (other.list.type !== state.list.type || !other.fieldById.has(meta.id)) continue;
        for (const e of other.entries.values())
          if (e.entity.id === entry.entity.id) this.storeValue(other, e, meta, value);
      }
    } else {
      this.storeValue(state, entry, meta, value);
    }
    const changedAt = new Date(at).toISOString();
    for (const change of diffChanges(before, value)) {
      this.changes.push({
        id: ++this.changeSeq,
        type: meta.valueType,
        actionType: change.actionType,
        changedAt,
        changer,
        entity: { id: entry.entity.id },
        field: {
          id: meta.id,
          name: meta.name,
          type: meta.type === 'global' ? 'global' : 'list',
          entityType: state.list.type,
        },
        listEntry: meta.type === 'global' ? null : { id: entry.id, listId: state.list.id },
        value: change.value,
      });
    }
  }

  /** Copy-on-write: the seed's objects are never mutated. */
  private storeValue(state: ListState, entry: ListEntryWithEntity, meta: FieldMetadata, value: FieldValue): void {
    const entity = entityOf(entry);
    const fields = entity.fields ?? [];
    const field: Field = { ...this.storedField(entry, meta), value };
    const i = fields.findIndex((f) => f.id === meta.id);
    const nextFields = i >= 0 ? fields.map((f, j) => (j === i ? field : f)) : [...fields, field];
    state.entries.set(entry.id, { ...entry, entity: { ...entity, fields: nextFields } } as ListEntryWithEntity);
  }

  // ---- field value changes ----------------------------------------------------------------------------------

  /** Supports `field.id`, `listEntry.id`, `entity.id`, `changer.id`, `actionType` (=) and `changedAt` (>, >=, <, <=), joined by `&`. */
  private filterChanges(ctx: Ctx, changes: FieldValueChangeRecord[]): FieldValueChangeRecord[] {
    const raw = ctx.query.get('filter');
    if (!raw) return changes;
    const tests = raw.split('&').map((clause) => {
      const m = /^\s*([\w.]+)\s*(>=|<=|=|>|<)\s*"?([^"]*)"?\s*$/.exec(clause);
      if (!m) throw validation('filter', `Invalid filter clause '${clause}'`);
      const [, key, op, val] = m;
      if (key === 'changedAt') {
        const t = parseInstant(val);
        if (t === undefined) throw validation('filter', `Invalid date '${val}'`);
        return (c: FieldValueChangeRecord) => {
          const x = Date.parse(c.changedAt);
          return op === '>' ? x > t : op === '>=' ? x >= t : op === '<' ? x < t : op === '<=' ? x <= t : x === t;
        };
      }
      const get: Record<string, (c: FieldValueChangeRecord) => unknown> = {
        'field.id': (c) => c.field.id,
        'listEntry.id': (c) => c.listEntry?.id,
        'entity.id': (c) => c.entity.id,
        'changer.id': (c) => c.changer?.id,
        actionType: (c) => c.actionType,
      };
      if (!get[key] || op !== '=') throw validation('filter', `Unsupported filter '${clause}'`);
      return (c: FieldValueChangeRecord) => String(get[key](c)) === val;
    });
    return changes.filter((c) => tests.every((t) => t(c)));
  }

  private entryChanges(ctx: Ctx, listId: number, entryId: number) {
    const { state, entry } = this.requireEntry(listId, entryId);
    const mine = this.changes.filter(
      (c) =>
        (c.listEntry?.id === entryId && c.listEntry.listId === listId) ||
        (c.listEntry === null && c.entity.id === entry.entity.id && c.field.entityType === state.list.type),
    );
    return this.page(ctx, this.filterChanges(ctx, mine), (c) => c.id);
  }

  private allChanges(ctx: Ctx) {
    const order = ctx.query.getAll('orderBy');
    for (const o of order)
      if (o !== 'changedAt' && o !== '-changedAt') throw validation('orderBy', `Invalid orderBy '${o}'`);
    const sign = order[0] === '-changedAt' ? -1 : 1;
    const changes = [...this.filterChanges(ctx, this.changes)].sort(
      (a, b) => sign * (Date.parse(a.changedAt) - Date.parse(b.changedAt) || a.id - b.id),
    );
    return this.page(ctx, changes, (c) => c.id);
  }

  // ---- lookups ----------------------------------------------------------------------------------------------

  private requireList(listId: number): ListState {
    const state = this.lists.get(listId);
    if (!state) throw notFound(`List ${listId} not found`);
    return state;
  }

  private requireView(listId: number, viewId: number): SeedView {
    const view = this.requireList(listId).views.find((v) => v.id === viewId);
    if (!view) throw notFound(`Saved view ${viewId} not found on list ${listId}`);
    return view;
  }

  private requireEntry(listId: number, entryId: number): { state: ListState; entry: ListEntryWithEntity } {
    const state = this.requireList(listId);
    const entry = state.entries.get(entryId);
    if (!entry) throw notFound(`List entry ${entryId} not found on list ${listId}`);
    return { state, entry };
  }
}
