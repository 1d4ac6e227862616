/**
 * `npm run verify-live`: checks each assumption the emulator makes about Affinity (docs/emulator.md, "Assumptions
 * checked by verify-live") against a real account, read-only (GET requests only), directly and through Nango.
 * Each check answers confirmed, differs (with what was seen) or could not check (with why). The key is only ever
 * put in the Authorization header; nothing here prints a header or a request.
 */

export type CheckStatus = 'confirmed' | 'differs' | 'could not check';

export interface CheckRow {
  id: string;
  assumption: string;
  status: CheckStatus;
  detail: string;
}

export interface NangoConnection {
  baseUrl: string;
  secretKey: string;
  providerConfigKey: string;
  connectionId: string;
}

export interface VerifyOptions {
  /** Affinity's base URL (https://api.affinity.co). */
  baseUrl: string;
  apiKey?: string;
  nango?: NangoConnection;
  /** The list and sheet view whose rows and columns are checked (default: the first list with a sheet view). */
  listId?: number;
  viewId?: number;
}

export const API_VERSION = '2026-09-17';
/** A list id no account has (the spec's largest): its 404 is an error reply that Nango passes on whole. */
const MISSING_LIST = 9007199254740991;

interface Reply {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

type Get = (path: string) => Promise<Reply>;

async function send(url: string, headers: Record<string, string>): Promise<Reply> {
  const res = await fetch(url, { method: 'GET', headers });
  const text = await res.text();
  const out: Record<string, string> = {};
  res.headers.forEach((v, k) => (out[k.toLowerCase()] = v));
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: kept as text
  }
  return { status: res.status, headers: out, body };
}

function directGet(baseUrl: string, apiKey: string): Get {
  const base = baseUrl.replace(/\/+$/, '');
  return (path) => send(`${base}${path}`, { Authorization: `Bearer ${apiKey}`, 'X-Affinity-Api-Version': API_VERSION });
}

function nangoGet(n: NangoConnection): Get {
  const base = n.baseUrl.replace(/\/+$/, '');
  return (path) =>
    send(`${base}/proxy${path}`, {
      Authorization: `Bearer ${n.secretKey}`,
      'Provider-Config-Key': n.providerConfigKey,
      'Connection-Id': n.connectionId,
      'Nango-Proxy-X-Affinity-Api-Version': API_VERSION,
    });
}

const RATE_HEADERS = ['x-ratelimit-limit-user', 'x-ratelimit-limit-user-remaining', 'x-ratelimit-limit-user-reset'];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function rateHeadersOf(r: Reply): { ok: boolean; detail: string } {
  const missing = RATE_HEADERS.filter((h) => !/^\d+$/.test(r.headers[h] ?? ''));
  if (missing.length === 0) return { ok: true, detail: RATE_HEADERS.map((h) => `${h}: ${r.headers[h]}`).join(', ') };
  const seen = Object.keys(r.headers).filter((h) => h.includes('ratelimit'));
  return { ok: false, detail: `missing ${missing.join(', ')}; rate-limit headers seen: ${seen.join(', ') || 'none'}` };
}

function errorBodyOf(r: Reply, code: string): { ok: boolean; detail: string } {
  const b = r.body;
  const first = isObject(b) && Array.isArray(b.errors) && isObject(b.errors[0]) ? b.errors[0] : null;
  if (first && first.code === code && typeof first.message === 'string')
    return { ok: true, detail: `${r.status} {"errors":[{"code":"${code}","message":…}]}` };
  return { ok: false, detail: `${r.status} with body ${shape(b)}` };
}

/** A value's shape, never its content (an error body could quote anything). */
function shape(v: unknown, depth = 0): string {
  if (Array.isArray(v)) return depth > 1 ? '[…]' : `[${v.length > 0 ? shape(v[0], depth + 1) : ''}]`;
  if (isObject(v)) return depth > 1 ? '{…}' : `{${Object.keys(v).slice(0, 6).join(',')}}`;
  return typeof v;
}

interface FieldRef {
  id: string;
}

function fieldIdsOf(row: unknown): string[] | null {
  if (!isObject(row) || !isObject(row.entity)) return null;
  const fields = row.entity.fields;
  if (!Array.isArray(fields)) return null;
  return (fields as FieldRef[]).map((f) => String(f.id));
}

const row = (id: string, assumption: string, status: CheckStatus, detail: string): CheckRow => ({
  id,
  assumption,
  status,
  detail,
});

async function pickView(get: Get, opts: VerifyOptions): Promise<{ listId: number; viewId: number } | string> {
  if (opts.listId !== undefined && opts.viewId !== undefined) return { listId: opts.listId, viewId: opts.viewId };
  const lists = await get('/v2/lists?limit=100');
  if (lists.status !== 200 || !isObject(lists.body) || !Array.isArray(lists.body.data))
    return `GET /v2/lists answered ${lists.status}`;
  for (const l of lists.body.data as { id: number }[]) {
    if (opts.listId !== undefined && l.id !== opts.listId) continue;
    const views = await get(`/v2/lists/${l.id}/saved-views?limit=100`);
    if (views.status !== 200 || !isObject(views.body) || !Array.isArray(views.body.data)) continue;
    const sheet = (views.body.data as { id: number; type: string }[]).find((v) => v.type === 'sheet');
    if (sheet) return { listId: l.id, viewId: sheet.id };
  }
  return 'no list with a sheet-type saved view was found (set AFFINITY_LIST_ID and AFFINITY_VIEW_ID)';
}

async function directChecks(get: Get, opts: VerifyOptions, badKey: Get): Promise<CheckRow[]> {
  const out: CheckRow[] = [];
  const who = await get('/v2/auth/whoami');
  if (who.status !== 200) {
    const why = `GET /v2/auth/whoami answered ${who.status}`;
    return [row('direct', 'the key works', 'could not check', why)];
  }
  const echoed = who.headers['x-affinity-api-version'];
  out.push(
    row(
      'version-echo',
      `every reply echoes the version served in X-Affinity-Api-Version (${API_VERSION} when asked for)`,
      echoed === API_VERSION ? 'confirmed' : 'differs',
      echoed === undefined ? 'no x-affinity-api-version header' : `x-affinity-api-version: ${echoed}`,
    ),
  );
  const rate = rateHeadersOf(who);
  out.push(
    row(
      'rate-limit-headers',
      'replies carry X-Ratelimit-Limit-User, -User-Remaining, -User-Reset',
      rate.ok ? 'confirmed' : 'differs',
      rate.detail,
    ),
  );
  const usage = await get('/v2/rate-limit');
  const minute = isObject(usage.body) ? usage.body.callerPerMinute : undefined;
  const usageOk =
    usage.status === 200 &&
    isObject(minute) &&
    ['limit', 'remaining', 'reset', 'used'].every((k) => typeof minute[k] === 'number');
  out.push(
    row(
      'rate-limit-endpoint',
      'GET /v2/rate-limit answers {callerPerMinute: {limit, remaining, reset, used}, orgPerMonth?}',
      usageOk ? 'confirmed' : 'differs',
      `${usage.status} ${shape(usage.body)}`,
    ),
  );
  const missing = await get(`/v2/lists/${MISSING_LIST}`);
  const nf = errorBodyOf(missing, 'not-found');
  out.push(
    row(
      'error-body',
      'an error answers {"errors":[{"code","message"}]} (a missing list: 404 not-found)',
      missing.status === 404 && nf.ok ? 'confirmed' : 'differs',
      nf.detail,
    ),
  );
  const denied = await badKey('/v2/auth/whoami');
  const auth = errorBodyOf(denied, 'authentication');
  out.push(
    row(
      'error-auth',
      'an unknown key answers 401 {"errors":[{"code":"authentication"}]}',
      denied.status === 401 && auth.ok ? 'confirmed' : 'differs',
      auth.detail,
    ),
  );

  const picked = await pickView(get, opts);
  const rowChecks = ['rows-complete', 'rows-order', 'columns-shape', 'columns-order'];
  const names: Record<string, string> = {
    'rows-complete': 'each row of a sheet view carries every column of the view (an empty one with data: null)',
    'rows-order': 'every row carries its fields in the same order',
    'columns-shape': 'GET …/saved-views/{viewId}/columns answers {data: FieldMetadata[], pagination}',
    'columns-order': "the columns endpoint lists the fields the view's rows carry, in their order",
  };
  if (typeof picked === 'string') {
    for (const id of rowChecks) out.push(row(id, names[id], 'could not check', picked));
    return out;
  }
  const { listId, viewId } = picked;
  const where = `list ${listId}, view ${viewId}`;
  const page = await get(`/v2/lists/${listId}/saved-views/${viewId}/list-entries?limit=100`);
  const rows = isObject(page.body) && Array.isArray(page.body.data) ? (page.body.data as unknown[]) : null;
  const ids = rows?.map(fieldIdsOf).filter((x): x is string[] => x !== null) ?? [];
  let rowOrder: string[] | null = null;
  if (page.status !== 200 || ids.length < 2) {
    const why = page.status !== 200 ? `the view's rows answered ${page.status}` : `${where} has fewer than 2 rows`;
    out.push(row('rows-complete', names['rows-complete'], 'could not check', why));
    out.push(row('rows-order', names['rows-order'], 'could not check', why));
  } else {
    const sets = new Set(ids.map((f) => [...f].sort().join(',')));
    out.push(
      row(
        'rows-complete',
        names['rows-complete'],
        sets.size === 1 ? 'confirmed' : 'differs',
        sets.size === 1
          ? `${ids.length} rows of ${where}, each with the same ${ids[0].length} fields`
          : `${ids.length} rows of ${where} carry ${sets.size} different sets of fields`,
      ),
    );
    const orders = new Set(ids.map((f) => f.join(',')));
    const sameOrder = sets.size === 1 && orders.size === 1;
    const common = ids.map((f) => f.filter((id) => ids.every((o) => o.includes(id))).join(','));
    const consistent = new Set(common).size === 1;
    out.push(
      row(
        'rows-order',
        names['rows-order'],
        sameOrder || (sets.size > 1 && consistent) ? 'confirmed' : 'differs',
        sameOrder || consistent ? 'the fields come in one order' : `${new Set(common).size} different orders`,
      ),
    );
    if (sameOrder) rowOrder = ids[0];
  }
  const cols = await get(`/v2/lists/${listId}/saved-views/${viewId}/columns`);
  const data = isObject(cols.body) && Array.isArray(cols.body.data) ? (cols.body.data as unknown[]) : null;
  const shapeOk =
    cols.status === 200 &&
    data !== null &&
    isObject(cols.body) &&
    isObject(cols.body.pagination) &&
    data.every((f) => isObject(f) && typeof f.id === 'string' && typeof f.name === 'string' && 'valueType' in f);
  out.push(
    row(
      'columns-shape',
      names['columns-shape'],
      shapeOk ? 'confirmed' : 'differs',
      `${cols.status} ${shape(cols.body)}`,
    ),
  );
  if (!shapeOk || !data || rowOrder === null) {
    const why = !shapeOk ? 'the columns endpoint has another shape' : 'the rows do not share one set and order';
    out.push(row('columns-order', names['columns-order'], 'could not check', why));
  } else {
    const colIds = (data as FieldRef[]).map((f) => String(f.id)).join(',');
    out.push(
      row(
        'columns-order',
        names['columns-order'],
        colIds === rowOrder.join(',') ? 'confirmed' : 'differs',
        colIds === rowOrder.join(',') ? `${data.length} columns, as the rows` : 'the columns differ from the rows',
      ),
    );
  }
  return out;
}

async function nangoChecks(get: Get): Promise<CheckRow[]> {
  const who = await get('/v2/auth/whoami');
  if (who.status !== 200) return [row('nango', 'the Nango connection works', 'could not check', `${who.status}`)];
  const out: CheckRow[] = [];
  const stripped = rateHeadersOf(who);
  const versionGone = who.headers['x-affinity-api-version'] === undefined;
  out.push(
    row(
      'nango-2xx-headers',
      'through Nango a successful reply has no rate-limit headers and no X-Affinity-Api-Version',
      !stripped.ok && versionGone ? 'confirmed' : 'differs',
      !stripped.ok && versionGone
        ? 'neither arrived'
        : `arrived: ${[stripped.ok ? 'rate-limit headers' : '', versionGone ? '' : 'x-affinity-api-version'].filter(Boolean).join(', ')}`,
    ),
  );
  const missing = await get(`/v2/lists/${MISSING_LIST}`);
  const echoed = missing.headers['x-affinity-api-version'];
  const kept = rateHeadersOf(missing);
  out.push(
    row(
      'nango-version-pin',
      `Nango-Proxy-X-Affinity-Api-Version reaches Affinity (an error reply, which keeps Affinity's headers, says ${API_VERSION})`,
      echoed === API_VERSION ? 'confirmed' : echoed === undefined ? 'could not check' : 'differs',
      echoed === undefined ? `${missing.status} without x-affinity-api-version` : `x-affinity-api-version: ${echoed}`,
    ),
  );
  out.push(
    row(
      'nango-error-headers',
      "through Nango an error reply keeps Affinity's rate-limit headers",
      kept.ok ? 'confirmed' : 'differs',
      kept.detail,
    ),
  );
  const nf = errorBodyOf(missing, 'not-found');
  out.push(
    row(
      'nango-error-body',
      "through Nango an error reply keeps Affinity's body",
      missing.status === 404 && nf.ok ? 'confirmed' : 'differs',
      nf.detail,
    ),
  );
  const usage = await get('/v2/rate-limit');
  const minute = isObject(usage.body) ? usage.body.callerPerMinute : undefined;
  out.push(
    row(
      'nango-rate-limit-endpoint',
      'through Nango GET /v2/rate-limit answers callerPerMinute (the usage the client paces by)',
      usage.status === 200 && isObject(minute) && typeof minute.remaining === 'number' ? 'confirmed' : 'differs',
      `${usage.status} ${shape(usage.body)}`,
    ),
  );
  return out;
}

const DIRECT_IDS = [
  'version-echo',
  'rate-limit-headers',
  'rate-limit-endpoint',
  'error-body',
  'error-auth',
  'rows-complete',
  'rows-order',
  'columns-shape',
  'columns-order',
];
const NANGO_IDS = [
  'nango-2xx-headers',
  'nango-version-pin',
  'nango-error-headers',
  'nango-error-body',
  'nango-rate-limit-endpoint',
];

/** Runs every check; a network failure makes the checks it prevents "could not check", never a crash. */
export async function verifyAffinity(opts: VerifyOptions): Promise<CheckRow[]> {
  const out: CheckRow[] = [];
  const notRun = (ids: string[], why: string) =>
    ids.forEach((id) => out.push(row(id, 'see docs/emulator.md', 'could not check', why)));
  if (opts.apiKey) {
    try {
      const bad = directGet(opts.baseUrl, 'verify-live-not-a-key');
      out.push(...(await directChecks(directGet(opts.baseUrl, opts.apiKey), opts, bad)));
    } catch (e) {
      notRun(DIRECT_IDS, `Affinity could not be reached (${(e as Error).name})`);
    }
  } else notRun(DIRECT_IDS, 'AFFINITY_API_KEY is not set');
  if (opts.nango) {
    try {
      out.push(...(await nangoChecks(nangoGet(opts.nango))));
    } catch (e) {
      notRun(NANGO_IDS, `Nango could not be reached (${(e as Error).name})`);
    }
  } else notRun(NANGO_IDS, 'NANGO_SECRET_KEY, NANGO_PROVIDER_CONFIG_KEY and NANGO_CONNECTION_ID are not set');
  return out;
}

/** The table verify-live prints: one line per check. */
export function formatTable(rows: readonly CheckRow[]): string {
  const w1 = Math.max(5, ...rows.map((r) => r.id.length));
  const w2 = Math.max(6, ...rows.map((r) => r.status.length));
  const lines = [
    `${'check'.padEnd(w1)}  ${'result'.padEnd(w2)}  what was seen`,
    `${'-'.repeat(w1)}  ${'-'.repeat(w2)}  -`,
  ];
  for (const r of rows) lines.push(`${r.id.padEnd(w1)}  ${r.status.padEnd(w2)}  ${r.detail}`);
  const count = (s: CheckStatus) => rows.filter((r) => r.status === s).length;
  lines.push(
    '',
    `${count('confirmed')} confirmed, ${count('differs')} differ, ${count('could not check')} could not check`,
  );
  return lines.join('\n');
}
