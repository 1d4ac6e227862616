/**
 * What push keeps between executions, within Apps Script's limits:
 * - user properties: the conflict policy (each person's own: it decides what is sent under their key);
 * - document properties (9 KB a value): whether edited cells are marked, and each bound tab's column types as of its
 *   last pull (so finding edits needs no request);
 * - the document cache (100 KB a value, 6 hours at most): dropdown options per field and the people and companies
 *   seen in a list's view (to turn a typed name into an id), refreshed by every pull.
 */
import type { AffinityClient } from '../affinity/client';
import type { DropdownOption, ValueType } from '../affinity/types';
import type { ColumnSpec } from '../engine/layout';
import { DEFAULT_CONFLICT_POLICY, isConflictPolicy, type ConflictPolicy } from '../engine/policy';
import type { CachePort } from '../gas/cache';
import { chunkText } from '../engine/chunks';
import type { KeyValueStore } from '../ports';
import { readChunked, writeChunked } from './propertyChunks';

export const CACHE_TTL_S = 6 * 60 * 60;
/** Characters per cache value: at most 4 bytes each in UTF-8, so always under the 100 KB limit. */
const CACHE_CHUNK_CHARS = 24_000;
const CACHE_MAX_CHUNKS = 16;

// ---- settings -------------------------------------------------------------------------------------------------

const POLICY_KEY = 'affinity.conflictPolicy';
const MARKS_KEY = 'affinity.pendingMarks';

export function loadPolicy(doc: KeyValueStore): ConflictPolicy {
  const v = doc.get(POLICY_KEY);
  return isConflictPolicy(v) ? v : DEFAULT_CONFLICT_POLICY;
}

export function savePolicy(doc: KeyValueStore, policy: ConflictPolicy): void {
  doc.set(POLICY_KEY, policy);
}

export function pendingMarksOn(doc: KeyValueStore): boolean {
  return doc.get(MARKS_KEY) === 'on';
}

export function setPendingMarksFlag(doc: KeyValueStore, on: boolean): void {
  if (on) doc.set(MARKS_KEY, 'on');
  else doc.delete(MARKS_KEY);
}

// ---- chunked values -----------------------------------------------------------------------------------------

const chunkKey = (key: string, i: number) => `${key}#${i}`;

/** Stores JSON values in the cache (each over as many keys as it needs), in one call. Too large values are skipped. */
export function putCachedJson(cache: CachePort, values: Record<string, unknown>): void {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    const chunks = chunkText(JSON.stringify(value), CACHE_CHUNK_CHARS);
    if (chunks.length > CACHE_MAX_CHUNKS) continue;
    out[key] = String(chunks.length);
    chunks.forEach((c, i) => (out[chunkKey(key, i)] = c));
  }
  cache.putAll(out, CACHE_TTL_S);
}

/** Reads JSON values stored by putCachedJson, in one call; missing or damaged values are absent. */
export function getCachedJson(cache: CachePort, keys: string[]): Map<string, unknown> {
  const wanted: string[] = [];
  for (const key of keys) {
    wanted.push(key);
    for (let i = 0; i < CACHE_MAX_CHUNKS; i++) wanted.push(chunkKey(key, i));
  }
  const got = cache.getAll(wanted);
  const out = new Map<string, unknown>();
  for (const key of keys) {
    const n = Number(got[key]);
    if (!Number.isInteger(n) || n < 1 || n > CACHE_MAX_CHUNKS) continue;
    let text = '';
    let complete = true;
    for (let i = 0; i < n; i++) {
      const part = got[chunkKey(key, i)];
      if (typeof part !== 'string') {
        complete = false;
        break;
      }
      text += part;
    }
    if (!complete) continue;
    try {
      out.set(key, JSON.parse(text));
    } catch {
      // damaged: treated as missing
    }
  }
  return out;
}

// ---- column types per tab (document properties) ----------------------------------------------------------------

const columnsKey = (sheetId: number) => `affinity.columns.${sheetId}`;

type StoredColumn = [id: string, name: string, valueType: ValueType, kind: ColumnSpec['kind'], editable: 0 | 1];

/** Saves the synced columns' types as the last pull saw them (only when they changed). */
export function saveColumnSpecs(doc: KeyValueStore, sheetId: number, specs: readonly ColumnSpec[]): void {
  const rows: StoredColumn[] = specs.map((s) => [s.id, s.name, s.valueType, s.kind, s.editable ? 1 : 0]);
  const text = JSON.stringify(rows);
  const key = columnsKey(sheetId);
  if (readChunked(doc, key) === text) return;
  // In UTF-8 bytes: pieces of 8,000 characters overflowed the 9 KB limit with non-Latin field names.
  writeChunked(doc, key, text);
}

export function loadColumnSpecs(doc: KeyValueStore, sheetId: number): Map<string, ColumnSpec> | null {
  const text = readChunked(doc, columnsKey(sheetId));
  if (!text) return null;
  try {
    const rows = JSON.parse(text) as StoredColumn[];
    return new Map(
      rows.map(([id, name, valueType, kind, editable]) => [
        id,
        { id, name, valueType, kind, editable: editable === 1 },
      ]),
    );
  } catch {
    return null;
  }
}

export function forgetColumnSpecs(doc: KeyValueStore, sheetId: number): void {
  const key = columnsKey(sheetId);
  const n = Number(doc.get(key)) || 0;
  for (let i = 0; i < n; i++) doc.delete(`${key}.${i}`);
  doc.delete(key);
}

// ---- dropdown options and the directory (document cache) ------------------------------------------------------

export const optionsKey = (listId: number, fieldId: string) => `affinity.opts.${listId}.${fieldId}`;
export const directoryKey = (listId: number) => `affinity.dir.${listId}`;

type StoredOption = [id: number, text: string, type: DropdownOption['type']];
/** Options of a field as cached, with when they were fetched (epoch ms). */
type StoredOptions = { t: number; o: StoredOption[] };

export function packOptions(options: readonly DropdownOption[], fetchedAt: number): StoredOptions {
  return { t: fetchedAt, o: options.map((o) => [o.id, o.text, o.type]) };
}

export function unpackOptions(value: unknown): { options: DropdownOption[]; fetchedAt: number } | null {
  const v = value as StoredOptions | null;
  if (!v || !Array.isArray(v.o) || typeof v.t !== 'number') return null;
  const options = v.o.map(([id, text, type]): DropdownOption =>
    type === 'dropdown'
      ? { type, id, text }
      : type === 'ranked-dropdown'
        ? { type, id, text, rank: 0, color: null }
        : { type: 'status-dropdown', id, text, rank: 0, color: null, statusCategory: 'open', winRate: null },
  );
  return { options, fetchedAt: v.t };
}

/**
 * Dropdown options of the given fields: from the cache, else fetched (first pages in one fetchAll) and cached.
 * `cachedAt` tells when each cached list was fetched.
 */
export function dropdownOptionsOf(
  client: () => AffinityClient,
  cache: CachePort | null,
  listId: number,
  fieldIds: string[],
  now: number,
  fresh = false,
): { options: Map<string, DropdownOption[]>; cachedAt: Map<string, number>; requests: number } {
  const options = new Map<string, DropdownOption[]>();
  const cachedAt = new Map<string, number>();
  if (fieldIds.length === 0) return { options, cachedAt, requests: 0 };
  if (cache && !fresh) {
    const got = getCachedJson(
      cache,
      fieldIds.map((f) => optionsKey(listId, f)),
    );
    for (const f of fieldIds) {
      const stored = unpackOptions(got.get(optionsKey(listId, f)));
      if (stored) {
        options.set(f, stored.options);
        cachedAt.set(f, stored.fetchedAt);
      }
    }
  }
  const missing = fieldIds.filter((f) => !options.has(f));
  if (missing.length === 0) return { options, cachedAt, requests: 0 };
  const c = client();
  const before = c.requestsSent;
  const firstPages = c.sendAll<{ data: DropdownOption[] | null; pagination?: { nextUrl?: string | null } }>(
    missing.map((f) => ({
      method: 'get',
      path: `/v2/lists/${listId}/fields/${encodeURIComponent(f)}/dropdown-options?limit=100`,
      purpose: 'metadata',
      what: 'field',
    })),
  );
  const toCache: Record<string, unknown> = {};
  firstPages.forEach((o, i) => {
    if (!o.ok) throw o.error;
    const list = [...(o.value?.data ?? [])];
    let next = o.value?.pagination?.nextUrl ?? null;
    while (next) {
      const page = c.send<{ data: DropdownOption[] | null; pagination?: { nextUrl?: string | null } }>({
        method: 'get',
        path: next,
        purpose: 'metadata',
        what: 'field',
      });
      list.push(...(page?.data ?? []));
      next = page?.pagination?.nextUrl ?? null;
    }
    options.set(missing[i], list);
    toCache[optionsKey(listId, missing[i])] = packOptions(list, now);
  });
  if (cache) putCachedJson(cache, toCache);
  return { options, cachedAt, requests: c.requestsSent - before };
}
