/**
 * A digest of a tab's base snapshot, kept where the Sheets UI cannot reach it (document properties), so that a base
 * changed by hand (the hidden base tab only warns) is noticed before it decides what a push sends or a pull keeps.
 *
 * Entries are spread over buckets by entry id (id mod buckets, about ROWS_PER_BUCKET rows each, at most MAX_BUCKETS); each bucket's digest
 * is a cryptographic hash (SHA-256 through the `hash` port) of the bucket's rows in id order. A row added, removed or changed in the base makes its bucket fail; rows of other buckets still verify.
 * Pure (the hash is a port: Utilities.computeDigest in Apps Script).
 */
import { PackedRows } from './packedRows';
import type { Snapshot } from './tabState';

/** Small buckets flag few rows around a forged one; at most MAX_BUCKETS keep the digest small (about 13 KB). */
export const ROWS_PER_BUCKET = 8;
export const MAX_BUCKETS = 512;
/**
 * Rows a digest of packed rows holds at once (a group of buckets, each row one string): each group is one pass that
 * opens every compressed batch, so fewer groups open fewer batches (60,000 rows: 3 passes; 8,000 rows a group, 8).
 */
const ROWS_PER_GROUP = 25_000;

export interface BaseDigest {
  v: 1;
  buckets: number;
  /** Digest per bucket (base64 of 16 bytes). */
  sums: string[];
  /**
   * The digest before a base write in progress: recorded just before the write and dropped just after, so that an
   * execution killed in between leaves rows that verify against the old or the new digest.
   */
  prev?: { buckets: number; sums: string[] };
  /**
   * Set when a check found rows of the base tab that do not verify (changed by hand) and the base tab still holds
   * them (a push or an undo keeps them as they were): the next pull reads the base tab whole and rewrites it, even
   * when the view verifies against the digest (sync/baseGuard.ts baseAsView).
   */
  repair?: true;
}

/** SHA-256 of a text's UTF-8 bytes, as base64 (or any encoding, as long as it is the same every time). */
export type HashPort = (text: string) => string;

export interface BaseCheck {
  /** True when the digest exists and every bucket verifies. */
  ok: boolean;
  /** No digest was stored (a base written before digests, or a write cut short). */
  missing: boolean;
  /** Entries of the base whose bucket does not verify: their base is unknown. */
  unknown: Set<number>;
  /** Buckets that do not verify. */
  badBuckets: Set<number>;
  /** Hash computations made (for the bench). */
  hashes: number;
}

/**
 * Each bucket as one text, made when asked for (one bucket at a time: the whole base as text would double a large
 * base's memory, issue 10): its rows in id order, each as its non-empty (column id, text) pairs in column id order,
 * length-prefixed (no text can pass for another), so that the stored column order and columns left blank (the base
 * sheet keeps them until it is compacted) do not count.
 */
function bucketTexts(snapshot: Snapshot, buckets: number): (bucket: number) => string {
  // Each column's label ('<length>:<id>') made once, not once per cell.
  const order = snapshot.columns
    .map((id, i) => [id, i, `${id.length}:${id}`] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const ids: number[][] = Array.from({ length: buckets }, () => []);
  for (const id of snapshot.rows.keys()) ids[id % buckets].push(id);
  return (bucket) => {
    const list = ids[bucket];
    list.sort((a, b) => a - b);
    const parts: string[] = [];
    for (const id of list) {
      const texts = snapshot.rows.get(id)!;
      parts.push(`#${id}:`);
      for (const [, i, label] of order) {
        const t = texts[i] ?? '';
        if (t !== '') parts.push(`${label}${t.length}:${t}`);
      }
      parts.push(';');
    }
    return parts.join('');
  };
}

export function bucketCount(rows: number): number {
  return Math.min(MAX_BUCKETS, Math.max(1, Math.ceil(rows / ROWS_PER_BUCKET)));
}

/**
 * Calls `visit` with each bucket and its text (made when asked for). Packed and sealed rows (a large view,
 * engine/packedRows.ts) are read a group of buckets at a time, each group in one pass over the batches.
 */
function eachBucket(snapshot: Snapshot, buckets: number, visit: (bucket: number, text: () => string) => void): void {
  const rows = snapshot.rows;
  const groups = rows instanceof PackedRows && rows.sealed ? Math.ceil(rows.size / ROWS_PER_GROUP) : 1;
  for (let g = 0; g < groups; g++) {
    // Sealed rows are read by id, bucket by bucket: never from the batches directly (a batch opened per row), even
    // in one group.
    const part =
      rows instanceof PackedRows && rows.sealed
        ? { columns: snapshot.columns, rows: rows.select((id) => (id % buckets) % groups === g) }
        : snapshot;
    const text = bucketTexts(part, buckets);
    for (let b = g; b < buckets; b += groups) visit(b, () => text(b));
  }
}

/** The digest of a snapshot. `keep`: buckets whose stored sum is kept as it was (so that a bad bucket stays bad). */
export function digestBase(
  snapshot: Snapshot,
  hash: HashPort,
  keep?: { digest: BaseDigest; buckets: Set<number> },
): BaseDigest {
  const buckets = keep ? keep.digest.buckets : bucketCount(snapshot.rows.size);
  const sums: string[] = new Array<string>(buckets);
  eachBucket(snapshot, buckets, (b, text) => {
    sums[b] = keep?.buckets.has(b) ? keep.digest.sums[b] : hash(text());
  });
  return { v: 1, buckets, sums };
}

/** Checks a snapshot against its stored digest. Without a digest every entry of the base is unknown. */
export function verifyBase(snapshot: Snapshot, digest: BaseDigest | null, hash: HashPort): BaseCheck {
  if (!digest || digest.v !== 1 || digest.sums.length !== digest.buckets || digest.buckets < 1) {
    return {
      ok: snapshot.rows.size === 0,
      missing: true,
      unknown: new Set(snapshot.rows.keys()),
      badBuckets: new Set(),
      hashes: 0,
    };
  }
  let hashes = digest.buckets;
  const badBuckets = new Set<number>();
  eachBucket(snapshot, digest.buckets, (b, text) => {
    if (hash(text()) !== digest.sums[b]) badBuckets.add(b);
  });
  const unknown = new Set<number>();
  if (badBuckets.size > 0)
    for (const id of snapshot.rows.keys()) if (badBuckets.has(id % digest.buckets)) unknown.add(id);
  const prev = digest.prev;
  if (unknown.size > 0 && prev && prev.buckets >= 1 && prev.sums.length === prev.buckets) {
    // A write cut short: rows of buckets that verify against the digest before it are known too.
    const wanted = new Set([...unknown].map((id) => id % prev.buckets));
    eachBucket(snapshot, prev.buckets, (b, text) => {
      if (!wanted.has(b)) return;
      hashes++;
      if (hash(text()) !== prev.sums[b]) wanted.delete(b);
    });
    for (const id of [...unknown]) if (wanted.has(id % prev.buckets)) unknown.delete(id);
    if (unknown.size === 0) badBuckets.clear();
  }
  return { ok: unknown.size === 0, missing: false, unknown, badBuckets, hashes };
}

/**
 * The base a pull can trust: rows that verify as stored; a row whose base is unknown takes Affinity's values as its
 * base (so a difference in the tab is kept as a pending edit, never overwritten, and never mistaken for Affinity's
 * value), and is dropped when the view no longer has it.
 */
export function trustedBase(snapshot: Snapshot, check: BaseCheck, remote: Map<number, Map<string, string>>): Snapshot {
  if (check.unknown.size === 0) return snapshot;
  // A packed base stays packed (issue 10, memory).
  const rows: Map<number, string[]> = snapshot.rows instanceof PackedRows ? snapshot.rows.emptyLike() : new Map();
  for (const [id, texts] of snapshot.rows) {
    // A packed base stays packed: sealed a batch at a time, as it was read.
    if (rows instanceof PackedRows && rows.size % 2_500 === 0) rows.seal();
    if (!check.unknown.has(id)) {
      rows.set(id, texts);
      continue;
    }
    const now = remote.get(id);
    if (now)
      rows.set(
        id,
        snapshot.columns.map((c) => now.get(c) ?? ''),
      );
  }
  if (rows instanceof PackedRows) rows.seal();
  return { columns: snapshot.columns, rows };
}
