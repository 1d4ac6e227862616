/**
 * Reads a view's columns from Affinity (`GET /v2/lists/{listId}/saved-views/{viewId}/columns`, one metadata request
 * per pull, made with the view's rows). Its response shape is assumed (docs/emulator.md, Assumptions), so any answer
 * other than the expected one (an error, 404 or 501 included, or another shape) gives null: the pull then takes the
 * columns from the rows without ever unbinding a column (engine/viewColumns.ts).
 */
import type { AffinityClient, Outcome } from '../affinity/client';
import type { FieldMetadata } from '../affinity/types';
import { columnsFromAnswer } from '../engine/viewColumns';
import type { LogPort } from '../ports';
import type { CachePort } from '../gas/cache';

/** Pages followed at most (a view has far fewer columns than this many pages hold). */
const MAX_PAGES = 10;

const columnsSpec = (path: string) => ({
  method: 'get' as const,
  path,
  purpose: 'metadata' as const,
  what: 'saved view',
});

/** One page's answer: its columns and the next page's path, or null (said in the log) when it is not usable. */
function columnsPage(
  outcome: Outcome<unknown>,
  log: LogPort,
): { columns: FieldMetadata[]; next: string | null } | null {
  if (!outcome.ok) {
    log.log(`The view's columns could not be read (${outcome.error.message}); they are taken from its rows.`);
    return null;
  }
  const columns = columnsFromAnswer(outcome.value);
  if (!columns) {
    log.log("The view's columns came back in an unexpected shape; they are taken from its rows.");
    return null;
  }
  const next: unknown = (outcome.value as { pagination?: { nextUrl?: unknown } }).pagination?.nextUrl;
  return { columns, next: typeof next === 'string' && next !== '' ? next : null };
}

/**
 * The columns of several views: their first pages in one fetchAll (views paged together need them all at once), any
 * further page of a view after it.
 */
export function fetchViewColumnsOf(
  client: AffinityClient,
  views: { listId: number; viewId: number }[],
  log: LogPort,
): (FieldMetadata[] | null)[] {
  if (views.length === 0) return [];
  const first = client.sendAll<unknown>(
    views.map((v) => columnsSpec(`/v2/lists/${v.listId}/saved-views/${v.viewId}/columns`)),
  );
  return first.map((outcome) => {
    let page = columnsPage(outcome, log);
    if (!page) return null;
    const out = [...page.columns];
    for (let n = 1; page.next && n < MAX_PAGES; n++) {
      const [more] = client.sendAll<unknown>([columnsSpec(page.next)]);
      page = columnsPage(more, log);
      if (!page) return null;
      out.push(...page.columns);
    }
    return out;
  });
}

export function fetchViewColumns(
  client: AffinityClient,
  listId: number,
  viewId: number,
  log: LogPort,
): FieldMetadata[] | null {
  return fetchViewColumnsOf(client, [{ listId, viewId }], log)[0];
}

/** A pull's view columns stay in the document cache this long (a checkpoint not touched for an hour is dropped). */
const COLUMNS_TTL_S = 3_600;

const columnsKey = (sheetId: number, startedAt: number) => `affinity.columns.${sheetId}.${startedAt}`;

/** A pull's view columns as an earlier execution of it read them (the pull named by its tab and its start), or null. */
export function cachedColumnsOfPull(
  cache: CachePort | null | undefined,
  sheetId: number,
  startedAt: number,
): FieldMetadata[] | null {
  const key = columnsKey(sheetId, startedAt);
  const hit = cache?.getAll([key])[key];
  if (!hit) return null;
  try {
    const columns: unknown = JSON.parse(hit);
    return Array.isArray(columns) ? (columns as FieldMetadata[]) : null;
  } catch {
    return null;
  }
}

/** Keeps a pull's view columns for its later executions (not when Affinity did not answer them). */
export function keepColumnsOfPull(
  cache: CachePort | null | undefined,
  sheetId: number,
  startedAt: number,
  columns: FieldMetadata[] | null,
): FieldMetadata[] | null {
  const text = columns ? JSON.stringify(columns) : '';
  if (columns && cache && text.length < 90_000) cache.putAll({ [columnsKey(sheetId, startedAt)]: text }, COLUMNS_TTL_S);
  return columns;
}

/**
 * The view's columns for one pull: read once (`read`), then taken from the document cache by the pull's later
 * executions, so a continuation does not read them again and every execution of the pull writes the same columns.
 * Evicted from the cache, they are read again (one request).
 */
export function columnsOfPull(
  cache: CachePort | null | undefined,
  sheetId: number,
  startedAt: number,
  read: () => FieldMetadata[] | null,
): FieldMetadata[] | null {
  return cachedColumnsOfPull(cache, sheetId, startedAt) ?? keepColumnsOfPull(cache, sheetId, startedAt, read());
}
