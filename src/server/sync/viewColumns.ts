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

/** Pages followed at most (a view has far fewer columns than this many pages hold). */
const MAX_PAGES = 10;

export function fetchViewColumns(
  client: AffinityClient,
  listId: number,
  viewId: number,
  log: LogPort,
): FieldMetadata[] | null {
  const out: FieldMetadata[] = [];
  let path: string | null = `/v2/lists/${listId}/saved-views/${viewId}/columns`;
  for (let page = 0; path && page < MAX_PAGES; page++) {
    const [outcome]: Outcome<unknown>[] = client.sendAll<unknown>([
      { method: 'get', path, purpose: 'metadata', what: 'saved view' },
    ]);
    if (!outcome.ok) {
      log.log(`The view's columns could not be read (${outcome.error.message}); they are taken from its rows.`);
      return null;
    }
    const columns = columnsFromAnswer(outcome.value);
    if (!columns) {
      log.log("The view's columns came back in an unexpected shape; they are taken from its rows.");
      return null;
    }
    out.push(...columns);
    const next: unknown = (outcome.value as { pagination?: { nextUrl?: unknown } }).pagination?.nextUrl;
    path = typeof next === 'string' && next !== '' ? next : null;
  }
  return out;
}
