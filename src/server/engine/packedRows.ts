/**
 * Rows of a base snapshot packed, for a view too large to hold as arrays of texts (issue 10): each row one string (its
 * texts as JSON), and, with a compressor, the rows of each window sealed into one compressed batch. Reads as the Map of
 * entry id → texts every snapshot is; each read builds a fresh array, so a caller that changes it changes nothing
 * stored. Reading in insertion order (iteration) opens each batch once; `select` gathers a part of the rows in one
 * such pass (the digest, engine/baseDigest.ts, works a group of buckets at a time). Pure: the compressor is a port.
 */
import { rowsFor } from './memoryBudget';

const WIDE = /[\u0100-\uffff]/g;

/** Compresses a text into a string and back (Utilities.gzip and base64 in Apps Script, gas/compress.ts). */
export interface TextCompressor {
  zip(text: string): string;
  unzip(zipped: string): string;
}

/**
 * A value as JSON, characters past U+00FF escaped (\uXXXX): one such character would make the engine store the whole
 * string two bytes a character, doubling a row's memory for one emoji; JSON.parse reads the escapes back.
 */
export function packJson(value: unknown): string {
  return JSON.stringify(value).replace(WIDE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const unpack = (p: string) => JSON.parse(p) as string[];

export class PackedRows extends Map<number, string[]> {
  /** Batch of each row (-1: not sealed yet). */
  private readonly batchOf: Map<number, number>;
  private readonly pending: Map<number, string>;
  private readonly batches: string[];
  private cached: { i: number; rows: Map<number, string> } | null;
  /** Rows read ahead for the merge's current window (`prefetch`). */
  private window: Map<number, string>;
  private readonly compressor: TextCompressor | null;

  constructor(compressor?: TextCompressor) {
    super();
    const batchOf = new Map<number, number>();
    this.batchOf = batchOf;
    this.pending = new Map();
    this.batches = [];
    this.cached = null;
    this.window = new Map();
    this.compressor = compressor ?? null;
    // Map's own size reads its internal slots, which stay empty: count the packed rows instead.
    Object.defineProperty(this, 'size', { get: () => batchOf.size });
  }

  /** True once a batch is compressed: random reads are then slow, read in order or `select`. */
  get sealed(): boolean {
    return this.batches.length > 0;
  }

  /** Compresses the rows added since the last seal into one batch (nothing without a compressor). */
  seal(): void {
    if (!this.compressor || this.pending.size === 0) return;
    const i = this.batches.length;
    this.batches.push(this.compressor.zip(JSON.stringify([...this.pending])));
    for (const id of this.pending.keys()) this.batchOf.set(id, i);
    this.pending.clear();
  }

  private batch(i: number): Map<number, string> {
    if (this.cached?.i !== i) {
      const rows = new Map(JSON.parse(this.compressor!.unzip(this.batches[i])) as [number, string][]);
      this.cached = { i, rows };
    }
    return this.cached.rows;
  }

  private packedOf(id: number): string | undefined {
    const b = this.batchOf.get(id);
    if (b === undefined) return undefined;
    if (b < 0) return this.pending.get(id);
    return this.window.get(id) ?? this.batch(b).get(id);
  }

  /**
   * How often reading these rows in the given order would move to another batch: about the number of batches when
   * the order is the stored one, about the number of rows when unrelated (each such move opens a batch).
   */
  batchMoves(order: Iterable<number>): number {
    let moves = 0;
    let last = -2;
    for (const id of order) {
      const b = this.batchOf.get(id);
      if (b === undefined || b === last) continue;
      moves++;
      last = b;
    }
    return moves;
  }

  /** Batches sealed so far. */
  get batchCount(): number {
    return this.batches.length;
  }

  /** The same rows, none compressed (each row one string): every row reads back at once, in any order. */
  unsealed(): PackedRows {
    return this.select(() => true);
  }

  /**
   * The same rows as another map, changed apart from these (a push's next base): the compressed batches are shared
   * (strings never change), only the index of rows and the rows not sealed yet are copied.
   */
  copy(): PackedRows {
    const out = this.emptyLike();
    for (const [id, b] of this.batchOf) out.batchOf.set(id, b);
    for (const [id, p] of this.pending) out.pending.set(id, p);
    out.batches.push(...this.batches);
    return out;
  }

  /**
   * When these rows are a copy of `from` (the same sealed batches), the ids whose row may differ from its row there:
   * rows set since the copy (whatever they hold) and rows `from` does not have. Null when they are not such a copy.
   * Rows `from` has and these do not are not listed.
   */
  changedFrom(from: PackedRows): number[] | null {
    if (this.batches.length !== from.batches.length) return null;
    for (let i = 0; i < this.batches.length; i++) if (this.batches[i] !== from.batches[i]) return null;
    const out: number[] = [];
    for (const [id, b] of this.batchOf) {
      const was = from.batchOf.get(id);
      if (b >= 0 && was === b) continue;
      if (b < 0 && was === -1 && this.pending.get(id) === from.pending.get(id)) continue;
      out.push(id);
    }
    return out;
  }

  /** A packer of the same kind (compressed or not), empty. */
  emptyLike(): PackedRows {
    return new PackedRows(this.compressor ?? undefined);
  }

  /**
   * Reads the given rows ahead, opening each batch that holds one of them once, in batch order, so that reading them
   * in any order after opens nothing (a window of the merge, whose rows are in the tab's order, not the base's). The
   * rows read ahead before are let go.
   */
  prefetch(ids: Iterable<number>): void {
    this.window = new Map();
    const byBatch = new Map<number, number[]>();
    for (const id of ids) {
      const b = this.batchOf.get(id);
      if (b === undefined || b < 0) continue;
      let list = byBatch.get(b);
      if (!list) byBatch.set(b, (list = []));
      list.push(id);
    }
    for (const b of [...byBatch.keys()].sort((x, y) => x - y)) {
      const rows = this.batch(b);
      for (const id of byBatch.get(b)!) this.window.set(id, rows.get(id)!);
    }
  }

  override get(id: number): string[] | undefined {
    const p = this.packedOf(id);
    return p === undefined ? undefined : unpack(p);
  }

  override has(id: number): boolean {
    return this.batchOf.has(id);
  }

  override set(id: number, texts: string[]): this {
    this.batchOf.set(id, -1);
    this.pending.set(id, packJson(texts));
    return this;
  }

  override delete(id: number): boolean {
    this.pending.delete(id);
    this.window.delete(id);
    return this.batchOf.delete(id);
  }

  override clear(): void {
    this.batchOf.clear();
    this.pending.clear();
    this.batches.length = 0;
    this.cached = null;
    this.window = new Map();
  }

  override keys(): MapIterator<number> {
    return this.batchOf.keys();
  }

  private *packedEntries(): Generator<[number, string]> {
    for (let i = 0; i < this.batches.length; i++) {
      for (const [id, p] of this.batch(i)) if (this.batchOf.get(id) === i) yield [id, p];
    }
    yield* this.pending;
  }

  override *values(): MapIterator<string[]> {
    for (const [, p] of this.packedEntries()) yield unpack(p);
  }

  override *entries(): MapIterator<[number, string[]]> {
    for (const [id, p] of this.packedEntries()) yield [id, unpack(p)];
  }

  override [Symbol.iterator](): MapIterator<[number, string[]]> {
    return this.entries();
  }

  override forEach(fn: (texts: string[], id: number, map: Map<number, string[]>) => void): void {
    for (const [id, texts] of this.entries()) fn(texts, id, this);
  }

  /** The rows `keep` wants, in one pass over the batches. */
  select(keep: (id: number) => boolean): PackedRows {
    // Uncompressed and still packed (a string per row, unpacked when read): a part holds a third of the memory of
    // the same rows as arrays of texts.
    const out = new PackedRows();
    for (const [id, p] of this.packedEntries())
      if (keep(id)) {
        out.batchOf.set(id, -1);
        out.pending.set(id, p);
      }
    return out;
  }
}

/**
 * A copy of a base's rows to change apart from the original (new Map(rows) for rows held as arrays, whose arrays it
 * shares: replace a row, never change one in place). Packed rows stay packed (issue 10, memory).
 */
export function copyRows(rows: Map<number, string[]>): Map<number, string[]> {
  return rows instanceof PackedRows ? rows.copy() : new Map(rows);
}

/**
 * Tab rows whose base rows are read ahead together: when the tab's order is not the base's, each window opens every
 * batch of the base, so fewer windows open fewer (60,000 rows: 6 windows, 120 batches opened; 2,500 rows a window
 * would open 480); the window's rows are held packed, about 14 MB at 30 fields. A wider tab's window holds fewer rows,
 * at most AHEAD_CELLS cells (engine/memoryBudget.ts).
 */
const AHEAD_ROWS = 10_000;
const AHEAD_CELLS = AHEAD_ROWS * 32;

/**
 * Visits a tab's rows in order with the base rows of each window read ahead when the base is packed and sealed (a
 * sealed base read in the tab's order, which need not be the base's, would open a batch per row). `idOf`: a line's
 * entry id, or null.
 */
export function eachLineWithBase<L>(
  lines: readonly L[],
  rows: Map<number, string[]>,
  idOf: (line: L) => number | null,
  visit: (line: L, row: number) => void,
): void {
  const ahead = rows instanceof PackedRows && rows.sealed ? rows : null;
  const n = lines.length;
  if (!ahead) {
    for (let r = 0; r < n; r++) visit(lines[r], r);
    return;
  }
  const first = n > 0 ? lines[0] : undefined;
  const step = Math.min(AHEAD_ROWS, rowsFor(AHEAD_CELLS, Array.isArray(first) ? first.length : 1));
  for (let start = 0; start < n; start += step) {
    const end = Math.min(n, start + step);
    // The window's lines are held while it is visited: a packed tab's line is unpacked once, not twice.
    const window: L[] = [];
    const ids: number[] = [];
    for (let r = start; r < end; r++) {
      const line = lines[r];
      window.push(line);
      const id = idOf(line);
      if (id !== null) ids.push(id);
    }
    ahead.prefetch(ids);
    for (let r = start; r < end; r++) visit(window[r - start], r);
  }
  ahead.prefetch([]); // the last window's rows are let go
}
