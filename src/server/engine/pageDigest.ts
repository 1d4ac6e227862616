/**
 * Pages a pull does not need to read again (issue 10, docs/schedules.md "Unchanged pages"): a page of a saved view
 * whose body is, up to its `pagination`, byte for byte the body the last pull staged at the same place gives the
 * same staged texts, so the pull keeps those instead of parsing the page and making its texts again. The digest
 * covers what the staged texts depend on besides the body (the view's field metadata, the list's type, the
 * spreadsheet's time zone and STAGED_FORMAT) through its seed. Pure: no Apps Script here.
 */

/**
 * Version of what a page stages (engine/staged.ts stagePage and the codecs' canonical texts). Bump it when they
 * change: pages kept by an earlier version are then read again instead of reused (test/engine/pageDigest.test.ts
 * pins a fixture's staged texts to make the need visible).
 */
export const STAGED_FORMAT = 1;

/**
 * Math.imul held in the module: a global looked up inside the loop costs a lookup per character where the global
 * object is not a plain one (200 times slower in a Node vm context, docs/harness.md).
 */
const imul = Math.imul;

/** 64-bit digest (two 32-bit lanes, 16 hex digits) of `text` up to `end`, started from `seed`. Not cryptographic. */
export function digestText(text: string, end: number, seed: number): string {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    h1 = imul(h1 ^ c, 2654435761);
    h2 = imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  h1 ^= end;
  return (h2 >>> 0).toString(16).padStart(8, '0') + (h1 >>> 0).toString(16).padStart(8, '0');
}

/** The seed of a view's page digests: what its staged texts depend on besides the page. */
export function pageSeed(parts: { fields: unknown; listType: string; zone: string; viewId: number }): number {
  const text = JSON.stringify([STAGED_FORMAT, parts.viewId, parts.listType, parts.zone, parts.fields]);
  return parseInt(digestText(text, text.length, 0).slice(8), 16) | 0;
}

/**
 * Where a page's entries end and its link to the next page: the body's last key must be `pagination` (an object
 * with `nextUrl`), and nothing else may follow it. Null when the body is not shaped so: the page is read whole.
 */
export function pageTail(body: string): { end: number; nextUrl: string | null } | null {
  const end = body.lastIndexOf('"pagination"');
  if (end < 0) return null;
  let tail: unknown;
  try {
    tail = JSON.parse(`{${body.slice(end)}`);
  } catch {
    return null;
  }
  if (!tail || typeof tail !== 'object' || Object.keys(tail).length !== 1) return null;
  const pagination = (tail as { pagination?: unknown }).pagination;
  if (!pagination || typeof pagination !== 'object') return null;
  const nextUrl = (pagination as { nextUrl?: unknown }).nextUrl ?? null;
  if (nextUrl !== null && typeof nextUrl !== 'string') return null;
  return { end, nextUrl };
}

/** A page as a pull reads it: parsed, or only its digest when it is the page kept at the same place. */
export type ReadPage<T> =
  | { same: false; entries: T[]; nextUrl: string | null; digest: string | null }
  | { same: true; nextUrl: string | null; digest: string };

/** What the pull knows of the page kept at the same place: its digest (if any) and the seed of this pull's digests. */
export interface PageReuse {
  seed: number;
  kept: string | null;
}

/**
 * Reads a page's body: when its digest equals the kept page's, only the link to the next page is read. Otherwise
 * the body is parsed (a body that is not JSON throws, as JSON.parse does).
 */
export function readPage<T>(body: string, reuse: PageReuse): ReadPage<T> {
  const tail = pageTail(body);
  const digest = tail ? digestText(body, tail.end, reuse.seed) : null;
  if (tail && digest !== null && digest === reuse.kept) return { same: true, nextUrl: tail.nextUrl, digest };
  const page = JSON.parse(body) as { data?: T[]; pagination?: { nextUrl?: string | null } } | null;
  return { same: false, entries: page?.data ?? [], nextUrl: page?.pagination?.nextUrl ?? null, digest };
}
