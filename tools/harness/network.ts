/**
 * How long a UrlFetchApp request takes in virtual time. Two models (docs/harness.md, "Network model"):
 *
 * - `fast` (an option for quick tests; the test suite opts into it): a flat `costs.urlFetchMs` (120 ms) a request plus bytes; a `fetchAll` costs its
 *   slowest request plus overhead, all requests at once. Cheap and quick for behaviour tests.
 * - `realistic` (the default, issue 10): UrlFetchApp's own overhead plus Affinity's latency as a function of the page it serves (entries ×
 *   fields, read from the response), and `fetchAll` running at most `fetchAllConcurrency` requests at a time.
 *
 * Select per harness with `HarnessOptions.network`, or for every harness of a process (bench, simulator) with the
 * environment variable `HARNESS_NETWORK=fast|realistic`.
 */
import type { CostModel } from './costs';

export type NetworkModelName = 'fast' | 'realistic';

export interface NetworkModel {
  name: NetworkModelName;
  /** realistic: UrlFetchApp's own cost per request (Google's outbound fetch service), on top of the server's time. */
  urlFetchOverheadMs: number;
  /** realistic: Affinity's time for any request (auth, routing, a small body). */
  affinityBaseMs: number;
  /** realistic: Affinity's time per list entry in a page of entries. */
  affinityPerEntryMs: number;
  /** realistic: Affinity's time per field value of a page (entries × fields). */
  affinityPerFieldValueMs: number;
  /** Requests of one fetchAll in flight at once (the rest wait for a free slot). Infinity: all at once. */
  fetchAllConcurrency: number;
}

/** fast: the harness's historical model; only `fetchAllConcurrency` is read (Infinity), costs come from CostModel. */
export const FAST_NETWORK: Readonly<NetworkModel> = Object.freeze({
  name: 'fast',
  urlFetchOverheadMs: 0,
  affinityBaseMs: 0,
  affinityPerEntryMs: 0,
  affinityPerFieldValueMs: 0,
  fetchAllConcurrency: Infinity,
});

/**
 * realistic: a page of 100 entries × 30 fields costs 100 + 150 + 100 × (0.5 + 30 × 0.22) = 960 ms; a PATCH or a
 * metadata read 250 ms. Figures and sources in docs/harness.md.
 */
export const REALISTIC_NETWORK: Readonly<NetworkModel> = Object.freeze({
  name: 'realistic',
  urlFetchOverheadMs: 100,
  affinityBaseMs: 150,
  affinityPerEntryMs: 0.5,
  affinityPerFieldValueMs: 0.22,
  fetchAllConcurrency: 10,
});

export type NetworkOption = NetworkModelName | (Partial<NetworkModel> & { name: NetworkModelName });

/** The model a harness uses: its option, else HARNESS_NETWORK, else realistic. */
export function resolveNetwork(option: NetworkOption | undefined, env = process.env.HARNESS_NETWORK): NetworkModel {
  const chosen = option ?? (env ? env.trim().toLowerCase() : 'realistic');
  if (typeof chosen === 'string') {
    if (chosen === 'fast') return { ...FAST_NETWORK };
    if (chosen === 'realistic') return { ...REALISTIC_NETWORK };
    throw new Error(`Unknown network model "${chosen}" (fast or realistic)`);
  }
  const base = chosen.name === 'realistic' ? REALISTIC_NETWORK : FAST_NETWORK;
  return { ...base, ...chosen };
}

/** Entries and fields per entry of a response that is a page of list entries (`{ data: [...] }`), else null. */
export function pageShape(
  body: Uint8Array | undefined,
  headers: string[] | undefined,
): { entries: number; fields: number } | null {
  if (!body || body.length < 10 || body.length > 64 * 1024 * 1024) return null;
  let json = false;
  for (let i = 0; i + 1 < (headers?.length ?? 0); i += 2)
    if (headers![i].toLowerCase() === 'content-type' && headers![i + 1].includes('json')) json = true;
  if (!json) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.length).toString('utf8'));
  } catch {
    return null;
  }
  const data = (parsed as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) return null;
  let fields = 0;
  for (const item of data) {
    const o = item as { fields?: unknown; entity?: { fields?: unknown } } | null;
    const f = Array.isArray(o?.entity?.fields) ? o.entity.fields : Array.isArray(o?.fields) ? o.fields : [];
    fields += (f as unknown[]).length;
  }
  return { entries: data.length, fields: data.length > 0 ? fields / data.length : 0 };
}

export interface RequestCostInput {
  requestBytes: number;
  responseBytes: number;
  /** Real measured latency of the request. */
  realMs: number;
  shape: { entries: number; fields: number } | null;
}

/** Virtual ms of one request (not counting fetchAll overhead). */
export function requestCost(net: NetworkModel, costs: CostModel, r: RequestCostInput): number {
  const kb = (r.requestBytes + r.responseBytes) / 1024;
  const real = costs.urlFetchRealLatency ? r.realMs : 0;
  if (net.name === 'fast') return costs.urlFetchMs + kb * costs.urlFetchPerKbMs + real;
  const entries = r.shape?.entries ?? 0;
  const fields = r.shape?.fields ?? 0;
  const server = net.affinityBaseMs + entries * (net.affinityPerEntryMs + fields * net.affinityPerFieldValueMs);
  // The model prices Affinity's own time, so the stand-in's real time counts only where it is longer (a server that
  // delays for real, a timeout): the local emulator's few ms of work per page are not added on top of Affinity's.
  return net.urlFetchOverheadMs + Math.max(server, real) + kb * costs.urlFetchPerKbMs;
}

/**
 * Virtual ms of a fetchAll: requests start in order as slots free up (at most `fetchAllConcurrency` at once); the
 * call returns when the last one finishes, plus the fixed and per-request overheads. With unbounded concurrency
 * this is the slowest request plus overheads (the fast model's formula).
 */
export function batchCost(net: NetworkModel, costs: CostModel, each: number[]): number {
  const slots = Math.max(1, Math.min(each.length, net.fetchAllConcurrency));
  const free = new Array<number>(slots).fill(0);
  let end = 0;
  for (const c of each) {
    let k = 0;
    for (let i = 1; i < slots; i++) if (free[i] < free[k]) k = i;
    free[k] += c;
    if (free[k] > end) end = free[k];
  }
  return end + costs.fetchAllOverheadMs + costs.fetchAllPerRequestMs * each.length;
}
