/**
 * Affinity-style cursor pagination: `limit` 1..100, an opaque `cursor`, and absolute `nextUrl`/`prevUrl` that carry
 * the cursor, the limit and the request's other query parameters.
 *
 * A cursor names the item it continues after (or before) and its position, so a page boundary survives rows being
 * added or deleted elsewhere in the collection; if that item is gone, the position is used. Cursors are bound to the
 * path they were issued for.
 */
import { validation } from './errors';

export const MAX_LIMIT = 100;

interface CursorState {
  /** 'a' = page after the anchor, 'b' = page before it. */
  d: 'a' | 'b';
  /** Key of the anchor item. */
  k: string | number;
  /** Anchor's index when the cursor was issued. */
  i: number;
  /** Path the cursor belongs to. */
  p: string;
}

export function parseLimit(query: URLSearchParams, defaultLimit: number): number {
  const raw = query.get('limit');
  if (raw === null) return defaultLimit;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_LIMIT) {
    throw validation('limit', `limit must be an integer between 1 and ${MAX_LIMIT}, got '${raw}'`);
  }
  return Number(raw);
}

function encodeCursor(state: CursorState): string {
  return Buffer.from(JSON.stringify(state), 'utf8').toString('base64url');
}

function decodeCursor(raw: string, path: string): CursorState {
  let state: CursorState | undefined;
  try {
    state = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as CursorState;
  } catch {
    state = undefined;
  }
  const ok =
    state &&
    (state.d === 'a' || state.d === 'b') &&
    (typeof state.k === 'string' || typeof state.k === 'number') &&
    Number.isInteger(state.i) &&
    state.p === path;
  if (!ok) throw validation('cursor', 'The provided cursor is not valid');
  return state!;
}

export interface Page<T> {
  items: T[];
  nextUrl: string | null;
  prevUrl: string | null;
}

/**
 * One page of `items`. `baseUrl + path` is where the page links point (the Affinity URL, also under the Nango proxy).
 */
export function paginate<T>(
  items: readonly T[],
  keyOf: (item: T) => string | number,
  req: { baseUrl: string; path: string; query: URLSearchParams; defaultLimit?: number },
): Page<T> {
  const limit = parseLimit(req.query, req.defaultLimit ?? MAX_LIMIT);
  const raw = req.query.get('cursor');
  let start = 0;
  let end: number;
  if (raw === null || raw === '') {
    end = Math.min(items.length, limit);
  } else {
    const cursor = decodeCursor(raw, req.path);
    const at =
      items[cursor.i] !== undefined && keyOf(items[cursor.i]) === cursor.k
        ? cursor.i
        : items.findIndex((x) => keyOf(x) === cursor.k);
    const anchor = at >= 0 ? at : Math.min(cursor.i, items.length);
    if (cursor.d === 'a') {
      start = at >= 0 ? anchor + 1 : anchor;
      end = Math.min(items.length, start + limit);
    } else {
      end = Math.min(anchor, items.length);
      start = Math.max(0, end - limit);
    }
  }
  const page = items.slice(start, end);
  const link = (state: CursorState): string => {
    const params = new URLSearchParams();
    params.set('cursor', encodeCursor(state));
    params.set('limit', String(limit));
    for (const [k, v] of req.query) if (k !== 'cursor' && k !== 'limit') params.append(k, v);
    return `${req.baseUrl}${req.path}?${params.toString()}`;
  };
  const nextUrl =
    end < items.length && page.length > 0 ? link({ d: 'a', k: keyOf(items[end - 1]), i: end - 1, p: req.path }) : null;
  const prevKey = start < items.length ? keyOf(items[start]) : '';
  const prevUrl = start > 0 ? link({ d: 'b', k: prevKey, i: start, p: req.path }) : null;
  return { items: page, nextUrl, prevUrl };
}
